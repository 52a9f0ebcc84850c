#include "platform/base/clock.hpp"

#include <fmt/format.h>

namespace omc {

namespace {

// The date of a day count since 1970-01-01, proleptic Gregorian (H. Hinnant's civil_from_days).
void CivilFromDays(int64_t days, int64_t& year, int& month, int& day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = yoe + era * 400 + (month <= 2 ? 1 : 0);
}

void PutDigits(char* out, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
        out[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}

}  // namespace

// Every response carries a timestamp, and lists carry one per record: the text is computed
// with integer arithmetic instead of gmtime_r and a format string.
std::string FormatTimestamp(TimestampUs ts) {
    int64_t seconds = ts / 1'000'000;
    int64_t micros = ts % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        seconds -= 1;
    }
    int64_t days = seconds / 86400;
    int64_t second_of_day = seconds % 86400;
    if (second_of_day < 0) {
        second_of_day += 86400;
        days -= 1;
    }
    int64_t year = 0;
    int month = 0;
    int day = 0;
    CivilFromDays(days, year, month, day);
    const int millis = static_cast<int>(micros / 1000);
    if (year < 0 || year > 9999) {  // not four digits: the general (slow) formatter
        return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, day,
                           second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60,
                           millis);
    }
    char out[] = "0000-00-00T00:00:00.000Z";
    PutDigits(out, year, 4);
    PutDigits(out + 5, month, 2);
    PutDigits(out + 8, day, 2);
    PutDigits(out + 11, second_of_day / 3600, 2);
    PutDigits(out + 14, second_of_day / 60 % 60, 2);
    PutDigits(out + 17, second_of_day % 60, 2);
    PutDigits(out + 20, millis, 3);
    return std::string(out, sizeof(out) - 1);  // without the NUL
}

namespace {

// Reads exactly `n` decimal digits at text[pos..]; -1 when any is not a digit.
int Digits(std::string_view text, size_t pos, size_t n) {
    if (pos + n > text.size()) return -1;
    int value = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

}  // namespace

std::optional<TimestampUs> ParseTimestamp(std::string_view text) {
    // 2026-11-21T15:04:05 is 19 characters; then an optional fraction and the offset.
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' ||
        text[16] != ':') {
        return std::nullopt;
    }
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
    const int year = Digits(text, 0, 4);
    const int month = Digits(text, 5, 2);
    const int day = Digits(text, 8, 2);
    const int hour = Digits(text, 11, 2);
    const int minute = Digits(text, 14, 2);
    const int second = Digits(text, 17, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
        return std::nullopt;
    }
    size_t pos = 19;
    int64_t micros = 0;
    if (text[pos] == '.') {
        ++pos;
        const size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
        for (size_t i = 0; i < 6; ++i) {
            micros = micros * 10 + (start + i < pos ? text[start + i] - '0' : 0);
        }
    }
    int64_t offset_seconds = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        const int off_hour = Digits(text, pos + 1, 2);
        const int off_minute = Digits(text, pos + 4, 2);
        if (pos + 6 > text.size() || text[pos + 3] != ':' || off_hour < 0 || off_hour > 23 ||
            off_minute < 0 || off_minute > 59) {
            return std::nullopt;
        }
        offset_seconds = sign * (int64_t{off_hour} * 3600 + int64_t{off_minute} * 60);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + int64_t{hour} * 3600 +
                            int64_t{minute} * 60 + second - offset_seconds;
    return seconds * 1'000'000 + micros;
}

std::optional<int64_t> ParseDateDays(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const int year = Digits(text, 0, 4);
    const int month = Digits(text, 5, 2);
    const int day = Digits(text, 8, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
        return std::nullopt;
    }
    return DaysFromCivil(year, month, day);
}

std::string FormatDate(TimestampUs ts) { return FormatTimestamp(ts).substr(0, 10); }

}  // namespace omc
