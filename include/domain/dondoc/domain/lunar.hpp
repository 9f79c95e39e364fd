// The Vietnamese lunisolar calendar, computed astronomically for the UTC+7 meridian (new moons
// and solar terms after Meeus), so that Tết and Giỗ Tổ are known for any year without tables.
#pragma once

#include <optional>

#include "dondoc/domain/date.hpp"

namespace dondoc::domain {

// The solar date of lunar day/month of lunar year `year`; `leap` selects the intercalary month.
// nullopt if the month is not the leap month of that year, or the day does not exist.
std::optional<Date> lunar_to_solar(int day, int month, int year, bool leap = false);

// The first day of lunar year `year` (mùng 1 Tết).
Date lunar_new_year(int year);

}  // namespace dondoc::domain
