#pragma once
// Translates ICU status codes into AnalysisError. Private to the analysis sources.

#include "cite/error.hpp"

#include <unicode/utypes.h>

#include <string>
#include <string_view>

namespace cite::analysis {

inline void check_icu(UErrorCode status, std::string_view doing) {
    if (U_FAILURE(status))
        throw AnalysisError(std::string(doing) + ": " + u_errorName(status));
}

}  // namespace cite::analysis
