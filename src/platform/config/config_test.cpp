#include "platform/config/config.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace omc::config {
namespace {

class TempFile {
  public:
    explicit TempFile(const std::string& content) {
        char name[] = "/tmp/omc-config-XXXXXX";
        const int fd = mkstemp(name);
        EXPECT_GE(fd, 0);
        close(fd);
        path_ = name;
        std::ofstream(path_) << content;
    }
    ~TempFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

bool HasField(const Error& e, const std::string& field) {
    for (const auto& f : e.fields()) {
        if (f.field.find(field) != std::string::npos) return true;
    }
    return false;
}

TEST(Config, NoConfigurationAtAllWorks) {
    auto c = Load("", {});
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->database_url, "sqlite:omc.db");
    EXPECT_EQ(c->listen_port, 8080);
    EXPECT_EQ(c->max_body_bytes, 1u << 20);
    EXPECT_EQ(c->database_pool_size, 8);
}

TEST(Config, FileValuesApply) {
    TempFile f(R"toml(
[server]
listen = "127.0.0.1:9090"
max_body_bytes = 2048
[database]
url = "postgresql://omc@localhost/omc"
pool_size = 4
[rate_limits.auth]
per_second = 0.5
burst = 5
[auth.jwt_keys]
k1 = "0123456789abcdef0123456789abcdef"
)toml");
    auto c = Load(f.path(), {});
    ASSERT_TRUE(c.ok()) << c.error().message();
    EXPECT_EQ(c->listen_address, "127.0.0.1");
    EXPECT_EQ(c->listen_port, 9090);
    EXPECT_EQ(c->max_body_bytes, 2048u);
    EXPECT_EQ(c->database_url, "postgresql://omc@localhost/omc");
    EXPECT_EQ(c->database_pool_size, 4);
    EXPECT_DOUBLE_EQ(c->rate_limits["auth"].per_second, 0.5);
    EXPECT_EQ(c->jwt_keys.at("k1"), "0123456789abcdef0123456789abcdef");
}

TEST(Config, EnvironmentOverridesTheFile) {
    TempFile f("[database]\nurl = \"sqlite:a.db\"\n");
    auto c = Load(f.path(), {{"OMC_DATABASE_URL", "sqlite:b.db"}, {"OMC_LISTEN", "[::1]:7000"}});
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->database_url, "sqlite:b.db");
    EXPECT_EQ(c->listen_address, "::1");
    EXPECT_EQ(c->listen_port, 7000);
}

TEST(Config, UnknownKeysAreRejectedByName) {
    TempFile f("[server]\nlisten_prot = 8080\n[databse]\nurl = \"x\"\n");
    auto c = Load(f.path(), {});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "server.listen_prot"));
    EXPECT_TRUE(HasField(c.error(), "databse.url"));
}

TEST(Config, BadValuesNameTheKey) {
    TempFile f("[server]\nmax_body_bytes = \"big\"\nworker_threads = 0\n[log]\nlevel = \"loud\"\n");
    auto c = Load(f.path(), {});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "server.max_body_bytes"));
    EXPECT_TRUE(HasField(c.error(), "server.worker_threads"));
    EXPECT_TRUE(HasField(c.error(), "log.level"));
}

TEST(Config, SignInSettingsApplyAndAreBounded) {
    TempFile good(
        "[auth]\naccess_token_minutes = 10\nrefresh_token_days = 7\n"
        "refresh_reuse_grace_seconds = 0\npassword_hash_concurrency = 4\n"
        "lockout_account_failures = 3\nlockout_address_failures = 50\nlockout_minutes = 30\n");
    auto c = Load(good.path(), {});
    ASSERT_TRUE(c.ok()) << c.error().message();
    EXPECT_EQ(c->access_token_lifetime, std::chrono::minutes(10));
    EXPECT_EQ(c->refresh_token_lifetime, std::chrono::hours(7 * 24));
    EXPECT_EQ(c->refresh_reuse_grace, std::chrono::seconds(0));
    EXPECT_EQ(c->password_hash_concurrency, 4);
    EXPECT_EQ(c->lockout_account_failures, 3);
    EXPECT_EQ(c->lockout_address_failures, 50);
    EXPECT_EQ(c->lockout_window, std::chrono::minutes(30));

    TempFile bad(
        "[auth]\naccess_token_minutes = 0\nlockout_account_failures = 0\n"
        "password_hash_concurrency = 1000\n");
    auto refused = Load(bad.path(), {});
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(HasField(refused.error(), "auth.access_token_minutes"));
    EXPECT_TRUE(HasField(refused.error(), "auth.lockout_account_failures"));
    EXPECT_TRUE(HasField(refused.error(), "auth.password_hash_concurrency"));
}

TEST(Config, BadEnvironmentValuesNameTheVariable) {
    auto c = Load("", {{"OMC_LISTEN", "8080"},
                       {"OMC_DATABASE_POOL_SIZE", "many"},
                       {"OMC_DATABASE_URL", "mysql://x"}});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "OMC_LISTEN"));
    EXPECT_TRUE(HasField(c.error(), "OMC_DATABASE_POOL_SIZE"));
    EXPECT_TRUE(HasField(c.error(), "OMC_DATABASE_URL"));
}

TEST(Config, UnknownOmcEnvironmentVariableIsRejected) {
    auto c = Load("", {{"OMC_DATABASE_ULR", "sqlite:x.db"}});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "OMC_DATABASE_ULR"));
    EXPECT_TRUE(Load("", {{"OMC_TEST_ENGINE", "sqlite"}}).ok());
}

TEST(Config, MalformedTomlNamesTheLine) {
    TempFile f("[server\nlisten = 1\n");
    auto c = Load(f.path(), {});
    ASSERT_FALSE(c.ok());
    ASSERT_FALSE(c.error().fields().empty());
    EXPECT_NE(c.error().fields()[0].message.find("line 1"), std::string::npos);
}

TEST(Config, ShortJwtSecretsAreRefused) {
    auto c = Load("", {{"OMC_AUTH_JWT_KEYS", "k1:short"}});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "OMC_AUTH_JWT_KEYS"));
}

TEST(Config, WebhookSecretKeyMustBe32BytesOfBase64OrHex) {
    auto hex = Load("", {{"OMC_WEBHOOKS_SECRET_KEY", std::string(64, 'a')}});
    ASSERT_TRUE(hex.ok());
    EXPECT_EQ(hex->webhook_secret_key, std::string(64, 'a'));
    EXPECT_TRUE(
        Load("", {{"OMC_WEBHOOKS_SECRET_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}})
            .ok());
    for (const char* bad : {"short", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "zz"}) {
        auto c = Load("", {{"OMC_WEBHOOKS_SECRET_KEY", bad}});
        ASSERT_FALSE(c.ok()) << bad;
        EXPECT_TRUE(HasField(c.error(), "OMC_WEBHOOKS_SECRET_KEY")) << bad;
    }
    TempFile f("[webhooks]\ndispatch_interval_ms = 250\ndispatch_threads = 4\n");
    auto file = Load(f.path(), {});
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->webhook_dispatch_interval, std::chrono::milliseconds(250));
    EXPECT_EQ(file->webhook_dispatch_threads, 4);
    EXPECT_EQ(Load("", {})->webhook_dispatch_threads, 2);
}

TEST(Config, ActiveKidMustNameAKey) {
    auto c = Load("", {{"OMC_AUTH_JWT_KEYS", "k1:0123456789abcdef0123456789abcdef"},
                       {"OMC_AUTH_ACTIVE_KID", "k2"}});
    ASSERT_FALSE(c.ok());
    EXPECT_TRUE(HasField(c.error(), "auth.active_kid"));
}

TEST(Config, WebRootDefaultsToTheBuildAndCanBeMovedOrDisabled) {
    auto defaults = Load("", {});
    ASSERT_TRUE(defaults.ok());
    EXPECT_EQ(defaults->web_root, "web/dist");

    TempFile f("[web]\nroot = \"/srv/omc/console\"\n");
    auto file = Load(f.path(), {});
    ASSERT_TRUE(file.ok()) << file.error().message();
    EXPECT_EQ(file->web_root, "/srv/omc/console");

    auto env = Load(f.path(), {{"OMC_WEB_ROOT", "/opt/console"}});
    ASSERT_TRUE(env.ok());
    EXPECT_EQ(env->web_root, "/opt/console");

    auto disabled = Load(f.path(), {{"OMC_WEB_ROOT", ""}});
    ASSERT_TRUE(disabled.ok());
    EXPECT_EQ(disabled->web_root, "");

    TempFile bad("[web]\nroot = 5\n");
    auto refused = Load(bad.path(), {});
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(HasField(refused.error(), "web.root"));
}

// The README's configuration table names every environment variable Load() understands.
TEST(Config, TheReadmeListsEveryEnvironmentVariable) {
    const char* source = std::getenv("OMC_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "ctest sets OMC_SOURCE_DIR";
    std::ifstream in(std::string(source) + "/README.md");
    ASSERT_TRUE(in.good());
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("| `", 0) == 0) rows.push_back(line);
    }
    for (const auto& [variable, key] : EnvironmentOverrides()) {
        bool listed = false;
        for (const std::string& row : rows) {
            listed = listed || (row.find(key) != std::string::npos &&
                                row.find("`" + variable + "`") != std::string::npos);
        }
        EXPECT_TRUE(listed) << key << " / " << variable;
    }
}

}  // namespace
}  // namespace omc::config
