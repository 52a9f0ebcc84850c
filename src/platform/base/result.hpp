// Result<T>: a value or an Error, shaped like C++23 std::expected. Fallible functions return it;
// exceptions stay inside the adapters that call throwing libraries.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "platform/base/assert.hpp"
#include "platform/base/error.hpp"

namespace omc {

template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        ERP_INVARIANT(ok(), "Result::value() on an error");
        return std::get<0>(v_);
    }
    const T& value() const& {
        ERP_INVARIANT(ok(), "Result::value() on an error");
        return std::get<0>(v_);
    }
    T&& value() && {
        ERP_INVARIANT(ok(), "Result::value() on an error");
        return std::get<0>(std::move(v_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& {
        ERP_INVARIANT(!ok(), "Result::error() on a value");
        return std::get<1>(v_);
    }
    Error&& error() && {
        ERP_INVARIANT(!ok(), "Result::error() on a value");
        return std::get<1>(std::move(v_));
    }

  private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

    bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const& {
        ERP_INVARIANT(!ok(), "Result::error() on a value");
        return *error_;
    }
    Error&& error() && {
        ERP_INVARIANT(!ok(), "Result::error() on a value");
        return std::move(*error_);
    }

  private:
    std::optional<Error> error_;
};

inline Result<void> Ok() { return {}; }

}  // namespace omc

// Propagates an error from an expression returning Result<...>:
//   OMC_TRY(tx.Execute(kQuery, params));
#define OMC_TRY(expr)                                  \
    do {                                               \
        auto omc_try_result_ = (expr);                 \
        if (!omc_try_result_.ok()) {                   \
            return std::move(omc_try_result_).error(); \
        }                                              \
    } while (false)

#define OMC_CONCAT_INNER_(a, b) a##b
#define OMC_CONCAT_(a, b) OMC_CONCAT_INNER_(a, b)
// Declares `lhs` from the value of a Result-returning expression, or returns its error:
//   OMC_ASSIGN_OR_RETURN(auto rows, tx.Query(kQuery, params));
#define OMC_ASSIGN_OR_RETURN(lhs, expr) \
    OMC_ASSIGN_OR_RETURN_IMPL_(OMC_CONCAT_(omc_result_, __LINE__), lhs, expr)
#define OMC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                             \
    if (!tmp.ok()) {                               \
        return std::move(tmp).error();             \
    }                                              \
    lhs = std::move(tmp).value()
