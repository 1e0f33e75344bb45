#pragma once
// The web page's files (searcher/web/), compiled into the binary so that it serves them with
// no build step and no file lookups at run time.

#include <string_view>
#include <vector>

namespace searcher::serve {

struct WebAsset {
    std::string_view path;  ///< "/app.js"
    std::string_view body;
};

[[nodiscard]] const std::vector<WebAsset>& web_assets();

}  // namespace searcher::serve
