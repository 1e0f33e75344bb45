#!/usr/bin/env python3
"""Installation tests: --version, the generated man pages and shell completions, `cmake
--install`, and the .deb installed on this machine and removed again.

Run by CTest, one case per invocation: packaging_test.py CASE. Paths come from the environment
(INDEXER, SEARCHER, SOURCE_DIR, BUILD_DIR, SHARE_DIR, CORPUS). The options each page and
completion must hold are read here from --help with a regex of this file's own, not from the
generator's parser. Exit 77 means skipped (CTest's SKIP_RETURN_CODE).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
SOURCE_DIR = os.environ["SOURCE_DIR"]
BUILD_DIR = os.environ["BUILD_DIR"]
SHARE_DIR = os.environ["SHARE_DIR"]
CORPUS = os.environ["CORPUS"]
SKIP = 77
PROGRAMS = {"cite-indexer": INDEXER, "cite-searcher": SEARCHER}


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def run(args, code=0, **kwargs):
    proc = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kwargs)
    if code is not None and proc.returncode != code:
        raise Failure(f"{args} exited {proc.returncode}, expected {code}\n"
                      f"stdout: {proc.stdout[:2000]}\nstderr: {proc.stderr[:2000]}")
    return proc


def long_options(help_text):
    """Every --option of a --help text's option lines ("  -f [ --format ] FMT", "  --db PATH")."""
    return set(re.findall(r"^  (?:-\w \[ )?--([a-z][a-z0-9-]*)", help_text, flags=re.M))


def subcommand_names(program):
    base = os.path.basename(program)
    usage = run([program, "--help"]).stdout
    return re.findall(rf"^(?:Usage:| )\s*{base} ([a-z]+) \[OPTIONS\]", usage, flags=re.M)


def options_by_command(program):
    """{"": options of the program, "quote": options of 'program quote', ...}."""
    result = {"": long_options(run([program, "--help"]).stdout)}
    for name in subcommand_names(program):
        result[name] = long_options(run([program, name, "--help"]).stdout)
    return result


def case_version():
    text = run([SEARCHER, "--version"]).stdout
    with open(os.path.join(SOURCE_DIR, "CMakeLists.txt"), encoding="utf-8") as f:
        version = re.search(r"project\(cite VERSION ([0-9.]+)", f.read()).group(1)
    check(text.startswith(f"searcher {version} (commit "), f"--version: {text!r}")
    commit = re.search(r"\(commit ([^)]+)\)", text).group(1)
    head = run(["git", "-C", SOURCE_DIR, "rev-parse", "HEAD"], code=None)
    if head.returncode == 0:
        # The binary may predate the last commit (built, then committed): the commit it names
        # must be the tree's or one of its ancestors.
        named = commit.removesuffix("-dirty")
        check(re.fullmatch(r"[0-9a-f]{7,40}", named), f"--version names no commit: {text!r}")
        ancestor = run(["git", "-C", SOURCE_DIR, "merge-base", "--is-ancestor", named, "HEAD"], code=None)
        check(ancestor.returncode == 0, f"--version names commit {commit}, not in the tree's history")
    xapian = run(["pkg-config", "--modversion", "xapian-core"]).stdout.strip()
    icu = run(["pkg-config", "--modversion", "icu-uc"]).stdout.strip()
    check(f"Xapian {xapian}" in text, f"--version lacks Xapian {xapian}: {text!r}")
    check(re.search(rf"ICU {re.escape(icu)}(\.0)*\b", text), f"--version lacks ICU {icu}: {text!r}")
    check(run([INDEXER, "--version"]).stdout.startswith(f"indexer {version} (commit "), "indexer --version")


def rendered_man(path):
    env = dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="0")
    text = run(["man", "-l", path], env=env).stdout
    return re.sub(r".\x08", "", text)  # overstrike bold


def case_man_pages():
    if not shutil.which("man"):
        return SKIP
    for installed, program in PROGRAMS.items():
        page = rendered_man(os.path.join(SHARE_DIR, "man", "man1", installed + ".1"))
        check(f"{installed} -" in page, f"{installed}.1 has no NAME line")
        options = options_by_command(program)
        for command, names in options.items():
            if command:
                check(f"{installed} {command}" in page, f"{installed}.1 lacks the command {command}")
            for name in names:
                check(re.search(rf"--{re.escape(name)}\b", page), f"{installed}.1 lacks --{name} ({command or 'top'})")
        check("EXIT STATUS" in page, f"{installed}.1 has no EXIT STATUS")


def completion_path(shell, installed):
    return {"bash": f"bash-completion/completions/{installed}",
            "zsh": f"zsh/vendor-completions/_{installed}",
            "fish": f"fish/vendor_completions.d/{installed}.fish"}[shell]


def bash_complete(installed, words):
    """The candidates bash offers after WORDS (the last is the word being completed)."""
    script = (f"source '{os.path.join(SHARE_DIR, completion_path('bash', installed))}'\n"
              f"COMP_WORDS=({' '.join(repr(w) for w in [installed] + words)})\n"
              f"COMP_CWORD={len(words)}\n"
              f"_{installed.replace('-', '_')}\n"
              "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
    return set(run(["bash", "-c", script]).stdout.split())


def case_completion_bash():
    for installed, program in PROGRAMS.items():
        for command, names in options_by_command(program).items():
            prefix = [command] if command else []
            offered = bash_complete(installed, prefix + ["--"])
            check({"--" + n for n in names} <= offered,
                  f"bash: {installed} {command} -- offers {sorted(offered)}, lacks {sorted({'--' + n for n in names} - offered)}")
    check(bash_complete("cite-searcher", ["--format", "cs"]) == {"csl-json", "csv"}, "bash: --format values")
    commands = set(subcommand_names(SEARCHER))
    check(bash_complete("cite-searcher", [""]) >= commands, "bash: subcommands")
    offered = bash_complete("cite-searcher", ["quote", "--"])
    check("--case-sensitive" in offered and "--limit" not in offered, "bash: quote's own options")


def case_completion_zsh():
    if not shutil.which("zsh"):
        return SKIP
    for installed in PROGRAMS:
        path = os.path.join(SHARE_DIR, completion_path("zsh", installed))
        run(["zsh", "-n", path])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check(text.startswith(f"#compdef {installed}\n"), f"{path}: no #compdef line")
        for name in options_by_command(PROGRAMS[installed])[""]:
            check(f"'--{name}[" in text, f"zsh: {installed} lacks --{name}")


def case_completion_fish():
    if not shutil.which("fish"):
        return SKIP
    for installed, program in PROGRAMS.items():
        path = os.path.join(SHARE_DIR, completion_path("fish", installed))
        run(["fish", "--no-execute", path])
        for command, names in options_by_command(program).items():
            line = f"{installed} {command + ' ' if command else ''}--"
            out = run(["fish", "--no-config", "-c", f"source '{path}'; complete -C '{line}'"]).stdout
            offered = {entry.split("\t")[0] for entry in out.splitlines()}
            check({"--" + n for n in names} <= offered,
                  f"fish: {line} lacks {sorted({'--' + n for n in names} - offered)}")


def case_cmake_install():
    with tempfile.TemporaryDirectory() as prefix:
        run(["cmake", "--install", BUILD_DIR, "--prefix", prefix])
        for path in ["bin/cite-indexer", "bin/cite-searcher", "share/man/man1/cite-indexer.1",
                     "share/man/man1/cite-searcher.1", "share/bash-completion/completions/cite-searcher",
                     "share/zsh/vendor-completions/_cite-searcher", "share/fish/vendor_completions.d/cite-searcher.fish",
                     "share/doc/cite/README.md", "share/doc/cite/CHANGELOG.md", "share/doc/cite/guide.md",
                     "share/doc/cite/schema/search.schema.json", "share/cite/corpus/aliases.conf"]:
            check(os.path.isfile(os.path.join(prefix, path)), f"cmake --install lacks {path}")
        check(not os.path.exists(os.path.join(prefix, "bin", "searcher")), "a bare 'searcher' was installed")
        installed = os.path.join(prefix, "bin", "cite-searcher")
        check(os.access(installed, os.X_OK), "cite-searcher is not executable")
        check(run([installed, "--version"]).stdout.startswith("searcher "), "installed --version")


def case_deb():
    """Build the .deb from this build, install it with apt, use it on the shipped corpus, read its
    man page, remove it. Needs root and apt: skipped elsewhere."""
    if os.geteuid() != 0 or not shutil.which("apt-get") or not shutil.which("dpkg-shlibdeps"):
        return SKIP
    if run(["dpkg-query", "-W", "-f=${Status}", "cite"], code=None).stdout.startswith("install ok"):
        return SKIP  # a cite package the user installed: leave it alone
    with tempfile.TemporaryDirectory() as work:
        run(["cpack", "-G", "DEB", "-B", work, "--config", os.path.join(BUILD_DIR, "CPackConfig.cmake")])
        debs = [f for f in os.listdir(work) if f.endswith(".deb")]
        check(len(debs) == 1, f"cpack made {debs}")
        deb = os.path.join(work, debs[0])
        fields = run(["dpkg-deb", "--field", deb, "Depends", "Package", "Version"]).stdout
        depends = re.search(r"^Depends: (.*)$", fields, flags=re.M).group(1)
        linked = run(["ldd", SEARCHER]).stdout
        for library in ("libxapian", "libstdc++", "libc.so"):
            if library in linked:
                package = {"libxapian": "libxapian30", "libstdc++": "libstdc++6", "libc.so": "libc6"}[library]
                check(package in depends, f"Depends lacks {package}: {depends}")
        try:
            run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", deb],
                env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
            db = os.path.join(work, "shipped.db")
            # The README's tour from the package alone: the corpus it installs.
            corpus = "/usr/share/cite/corpus"
            check(sorted(os.listdir(corpus)) == sorted(os.listdir(CORPUS)), "the package's corpus differs")
            run(["cite-indexer", "--quiet", "--db", db, corpus])
            out = run(["cite-searcher", "--db", db, "--format", "json", '"Middle Corridor"']).stdout
            check('"Middle Corridor"' in out or "Middle Corridor" in out, "installed searcher found nothing")
            page = run(["man", "cite-searcher"], env=dict(os.environ, MANWIDTH="120")).stdout
            check("--format" in re.sub(r".\x08", "", page), "man cite-searcher does not show --format")
            check(os.path.isfile("/usr/share/bash-completion/completions/cite-searcher"), "no bash completion installed")
        finally:
            run(["apt-get", "remove", "-y", "-qq", "cite"], code=None,
                env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        check(not shutil.which("cite-searcher"), "cite-searcher still installed after removal")


def main():
    if len(sys.argv) != 2 or not callable(globals().get("case_" + sys.argv[1])):
        print(f"usage: {sys.argv[0]} CASE", file=sys.stderr)
        return 2
    try:
        result = globals()["case_" + sys.argv[1]]()
    except Failure as failure:
        print(f"FAIL {sys.argv[1]}: {failure}", file=sys.stderr)
        return 1
    if result == SKIP:
        print(f"SKIP {sys.argv[1]}")
        return SKIP
    print(f"PASS {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
