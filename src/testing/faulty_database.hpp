// Injected database failures for tests: a transaction whose statements fail (as a dropped
// connection or a full disk would) from a chosen statement on, or at random with a seeded
// probability, and a Database whose transactions all do so. After a failure the transaction can
// only roll back; Commit() then fails too. Code under test must leave nothing half-written.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <random>

#include "platform/db/database.hpp"

namespace omc::testing {

class FaultyTransaction final : public db::Transaction {
  public:
    // Fails the `fail_at`-th statement (1-based) and every later one; and each statement with
    // probability `p` (drawn from `rng`, when given).
    FaultyTransaction(std::unique_ptr<db::Transaction> inner, int fail_at, double p = 0,
                      std::mt19937_64* rng = nullptr, std::mutex* rng_mu = nullptr)
        : inner_(std::move(inner)), fail_at_(fail_at), p_(p), rng_(rng), rng_mu_(rng_mu) {}

    Result<db::Rows> Query(const db::Query& q, const db::Params& p) override {
        OMC_TRY(Tick());
        return inner_->Query(q, p);
    }
    Result<int64_t> Execute(const db::Query& q, const db::Params& p) override {
        OMC_TRY(Tick());
        return inner_->Execute(q, p);
    }
    Result<std::vector<int64_t>> ExecuteBatch(
        const std::vector<std::pair<db::Query, db::Params>>& s) override {
        OMC_TRY(Tick());
        return inner_->ExecuteBatch(s);
    }
    Result<int64_t> CopyIn(std::string_view t, const std::vector<std::string>& c,
                           const std::vector<std::vector<db::Param>>& r) override {
        OMC_TRY(Tick());
        return inner_->CopyIn(t, c, r);
    }
    Result<void> ExecScript(std::string_view sql) override { return inner_->ExecScript(sql); }
    Result<void> Savepoint(std::string_view n) override {
        if (failed_) return Error(ErrorCode::kUnavailable, "injected database failure");
        return inner_->Savepoint(n);
    }
    Result<void> RollbackToSavepoint(std::string_view n) override {
        // A lost connection cannot be rolled back to a savepoint.
        if (failed_) return Error(ErrorCode::kUnavailable, "injected database failure");
        return inner_->RollbackToSavepoint(n);
    }
    Result<void> ReleaseSavepoint(std::string_view n) override {
        if (failed_) return Error(ErrorCode::kUnavailable, "injected database failure");
        return inner_->ReleaseSavepoint(n);
    }
    Result<void> Commit() override {
        if (failed_) {
            inner_->Rollback();
            return Error(ErrorCode::kUnavailable, "injected failure: rolled back");
        }
        return inner_->Commit();
    }
    void Rollback() override { inner_->Rollback(); }
    db::Engine engine() const override { return inner_->engine(); }
    bool failed() const { return failed_; }

  private:
    Result<void> Tick() {
        if (failed_) return Error(ErrorCode::kUnavailable, "injected database failure");
        bool fail = ++calls_ >= fail_at_;
        if (!fail && p_ > 0 && rng_ != nullptr) {
            std::lock_guard lock(*rng_mu_);
            fail = std::uniform_real_distribution<double>(0, 1)(*rng_) < p_;
        }
        if (fail) {
            failed_ = true;
            return Error(ErrorCode::kUnavailable, "injected database failure");
        }
        return Ok();
    }

    std::unique_ptr<db::Transaction> inner_;
    int fail_at_;
    int calls_ = 0;
    double p_;
    std::mt19937_64* rng_;
    std::mutex* rng_mu_;
    bool failed_ = false;
};

// Every write transaction fails a statement with probability p() (0 turns it off); read-only
// transactions are left alone.
class FaultyDatabase final : public db::Database {
  public:
    FaultyDatabase(db::Database& inner, uint64_t seed) : inner_(inner), rng_(seed) {}
    void SetFailureProbability(double p) { p_.store(p); }

    Result<std::unique_ptr<db::Transaction>> Begin(const db::TxOptions& options) override {
        OMC_ASSIGN_OR_RETURN(auto tx, inner_.Begin(options));
        const double p = p_.load();
        if (options.read_only || p <= 0) return tx;
        return std::unique_ptr<db::Transaction>(
            std::make_unique<FaultyTransaction>(std::move(tx), 1 << 30, p, &rng_, &mu_));
    }
    Result<void> ExecScript(std::string_view sql) override { return inner_.ExecScript(sql); }
    db::Engine engine() const override { return inner_.engine(); }
    db::PoolStats Stats() const override { return inner_.Stats(); }
    Result<void> Ping() override { return inner_.Ping(); }

  private:
    db::Database& inner_;
    std::atomic<double> p_{0};
    std::mutex mu_;
    std::mt19937_64 rng_;
};

}  // namespace omc::testing
