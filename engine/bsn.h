// The Dutch burgerservicenummer's form: nine digits passing the elfproef
// (the weighted sum 9..2 of the first eight digits minus the ninth is a
// multiple of 11). Says nothing about whether the number was issued.
#pragma once

#include <string_view>

namespace casus::engine {

bool IsValidBsn(std::string_view bsn);

}  // namespace casus::engine
