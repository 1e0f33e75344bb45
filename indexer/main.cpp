// indexer: argv -> IndexConfig -> cite::index::build_index -> exit code.

#include "options.hpp"

#include "cite/error.hpp"

#include <xapian.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>

namespace {

// Warnings always go to stderr; progress only to a terminal and never with --quiet.
class ConsoleObserver : public cite::index::IndexObserver {
  public:
    explicit ConsoleObserver(bool show_progress) : m_show_progress(show_progress) {}

    void warning(const std::string& where, const std::string& message) override {
        clear_line();
        std::cerr << "indexer: " << where << ": " << message << '\n';
    }

    void progress(const cite::index::IndexProgress& p) override {
        if (!m_show_progress) return;
        const auto now = std::chrono::steady_clock::now();
        if (p.files_done != p.files_total && now - m_last < std::chrono::milliseconds(100)) return;
        m_last = now;
        const double mb = static_cast<double>(p.bytes_read) / 1e6;
        std::cerr << "\rindexer: " << p.files_done << '/' << p.files_total << " files, " << std::fixed
                  << std::setprecision(1) << mb << " MB, " << p.passages_written << " passages, "
                  << (p.seconds > 0 ? mb / p.seconds : 0.0) << " MB/s" << std::flush;
        m_line_open = true;
    }

    void clear_line() {
        if (m_line_open) std::cerr << "\r\033[K";
        m_line_open = false;
    }

  private:
    bool m_show_progress;
    bool m_line_open = false;
    std::chrono::steady_clock::time_point m_last{};
};

}  // namespace

int main(int argc, char** argv) {
    try {
        auto config = indexer::parse_options(argc, argv, std::cout);
        if (!config) return cite::exit_ok;
        ConsoleObserver observer(!config->quiet && isatty(STDERR_FILENO) == 1);
        const auto summary = cite::index::build_index(config->index, observer);
        observer.clear_line();
        if (!config->quiet) {
            std::cout << "indexed " << summary.files_added << " added, " << summary.files_updated << " updated, "
                      << summary.files_unchanged << " unchanged, " << summary.files_removed << " removed, "
                      << summary.files_skipped << " skipped files";
            if (summary.records_skipped > 0) std::cout << " (" << summary.records_skipped << " records skipped)";
            std::cout << "; " << summary.passages_written << " passages written, " << summary.passages_total
                      << " in index; " << std::fixed << std::setprecision(2) << summary.seconds << " s\n";
        }
        return summary.clean() ? cite::exit_ok : cite::exit_error;
    } catch (const cite::UsageError& e) {
        std::cerr << "indexer: " << e.what() << "\nTry 'indexer --help'.\n";
    } catch (const std::exception& e) {  // cite::Error and std errors
        std::cerr << "indexer: " << e.what() << '\n';
    } catch (const Xapian::Error& e) {  // not a std::exception; should have been translated
        std::cerr << "indexer: " << e.get_description() << '\n';
    }
    return cite::exit_error;
}
