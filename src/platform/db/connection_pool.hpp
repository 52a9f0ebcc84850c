// A fixed pool of connections shared by the SQLite and PostgreSQL adapters. Private to
// platform/db. Connections are created up front and never grow: a bounded pool is a bounded load
// on the database, and a caller that cannot get one within acquire_timeout gets kUnavailable
// ("database busy") rather than queueing forever.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/assert.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::db::internal {

template <typename Conn>
class ConnectionPool {
  public:
    ConnectionPool(std::vector<std::unique_ptr<Conn>> connections,
                   std::chrono::milliseconds acquire_timeout)
        : all_(std::move(connections)), acquire_timeout_(acquire_timeout) {
        ERP_INVARIANT(!all_.empty(), "a connection pool needs at least one connection");
        for (auto& c : all_) free_.push_back(c.get());
    }
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Waits up to acquire_timeout for a free connection. kUnavailable when none frees up.
    Result<Conn*> Acquire() {
        std::unique_lock lock(mu_);
        if (free_.empty()) {
            ++waits_total_;
            const bool got = cv_.wait_for(lock, acquire_timeout_, [&] { return !free_.empty(); });
            if (!got) {
                ++timeouts_total_;
                return Error(ErrorCode::kUnavailable, "database busy")
                    .WithDetail("no database connection free within the acquire timeout");
            }
        }
        Conn* c = free_.back();
        free_.pop_back();
        return c;
    }

    void Release(Conn* c) {
        ERP_ASSERT(c != nullptr, "release of a null connection");
        {
            std::lock_guard lock(mu_);
            ERP_ASSERT(free_.size() < all_.size(), "connection released twice");
            free_.push_back(c);
        }
        cv_.notify_one();
    }

    PoolStats Stats() const {
        std::lock_guard lock(mu_);
        PoolStats s;
        s.size = static_cast<int>(all_.size());
        s.in_use = static_cast<int>(all_.size() - free_.size());
        s.waits_total = waits_total_;
        s.timeouts_total = timeouts_total_;
        return s;
    }

  private:
    const std::vector<std::unique_ptr<Conn>> all_;
    const std::chrono::milliseconds acquire_timeout_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Conn*> free_;     // GUARDED_BY(mu_)
    int64_t waits_total_ = 0;     // GUARDED_BY(mu_)
    int64_t timeouts_total_ = 0;  // GUARDED_BY(mu_)
};

// True for a plain lower-case SQL identifier, [a-z_][a-z0-9_]*, the only table and column names
// CopyIn accepts (they are spliced into SQL, so nothing else may pass).
bool IsPlainIdentifier(std::string_view name);

// Returns `"name"`. Only call with names that passed IsPlainIdentifier.
std::string QuoteIdentifier(std::string_view name);

// Checks CopyIn's table and column names; kInvalidArgument naming the bad one.
Result<void> ValidateCopyTarget(std::string_view table, const std::vector<std::string>& columns);

// Checks a savepoint name: a plain identifier of at most kMaxSavepointNameBytes. kInvalidArgument
// otherwise.
Result<void> ValidateSavepointName(std::string_view name);

// The savepoints a transaction has open, innermost last. Both adapters keep it beside the engine's
// own stack, so a name the engine does not know is refused before anything is sent (a failed
// ROLLBACK TO would abort a PostgreSQL transaction; SQLite would carry on), and so the depth is
// bounded. Names may repeat; the most recent one wins, as in SQL.
class SavepointStack {
  public:
    // kInvalidArgument for a bad name or when kMaxSavepointDepth are already open.
    Result<void> CheckCanOpen(std::string_view name) const;
    void Opened(std::string_view name) { names_.emplace_back(name); }
    // Position of the most recent open savepoint called `name`; kInternal when there is none.
    Result<size_t> Find(std::string_view name) const;
    // ROLLBACK TO keeps the savepoint itself open and closes the later ones.
    void RolledBackTo(size_t index) { names_.resize(index + 1); }
    // RELEASE closes the savepoint and the later ones.
    void Released(size_t index) { names_.resize(index); }
    size_t depth() const { return names_.size(); }

  private:
    std::vector<std::string> names_;
};

// The client message of a serialization failure or deadlock (kConflict), which
// IsSerializationFailure recognises.
constexpr std::string_view kSerializationFailureMessage = "concurrent update; please retry";

// The largest number of statements a single ExecuteBatch call may carry.
constexpr size_t kMaxBatchStatements = 100'000;

}  // namespace omc::db::internal
