#include "tests/storage/test_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <limits>

namespace casus::storage::testing {

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "storage";
  path_ = std::filesystem::temp_directory_path() /
          ("casus_storage_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + name);
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

SqliteOptions StorageTest::Options() const {
  SqliteOptions o;
  o.path = db_path();
  o.reader_connections = 2;
  return o;
}

std::unique_ptr<Store> StorageTest::OpenStore(const SqliteOptions& options) {
  auto store = OpenSqliteStore(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  return std::move(store).value();
}

std::string RawExec(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(conn);
    sqlite3_close(conn);
    return "open failed: " + msg;
  }
  sqlite3_busy_timeout(conn, 5000);
  char* err = nullptr;
  std::string result;
  if (sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) result = err != nullptr ? err : "error";
  sqlite3_free(err);
  sqlite3_close(conn);
  return result;
}

std::int64_t RawInt(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  } else {
    ADD_FAILURE() << "raw query failed: " << sql << ": " << sqlite3_errmsg(conn);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(conn);
  return value;
}

TimePoint At(int day, int hour, int minute) {
  using namespace std::chrono;
  return sys_days{year{2026} / March / day} + hours{hour} + minutes{minute};
}

Organisation MakeOrganisation(const std::string& id, const std::string& name) {
  return Organisation{id, name, "gemeente", "Heerlen"};
}

User MakeUser(const std::string& id, const std::string& username, const std::string& org_id) {
  User u;
  u.id = id;
  u.username = username;
  u.org_id = org_id;
  u.roles = {"regisseur", "coordinator"};
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  u.totp_secret = "JBSWY3DPEHPK3PXP";
  u.disabled = false;
  u.created_at = At(1, 9);
  return u;
}

Person MakePerson(const std::string& id, const std::string& name) {
  Person p;
  p.id = id;
  p.name = name;
  p.birth_date = Date{std::chrono::year{1990}, std::chrono::month{2}, std::chrono::day{28}};
  p.bsn = "123456782";
  p.created_at = At(2, 10);
  return p;
}

Report MakeReport(const std::string& id, const std::string& tracking_code, TimePoint received_at) {
  Report r;
  r.id = id;
  r.tracking_code = tracking_code;
  r.source = "burger";
  r.category = "overlast";
  r.description = "Verward gedrag op straat, \"luid\" en onrustig";
  r.incident_code = "E33";
  r.street = "Akerstraat 1";
  r.wijk = "Centrum";
  r.municipality = "Heerlen";
  r.reporter_name = "J. Jansen";
  r.reporter_email = "j@example.nl";
  r.reporter_phone = "0451234567";
  r.status = "ontvangen";
  r.received_at = received_at;
  r.updated_at = received_at + std::chrono::minutes{5};
  return r;
}

CaseRecord MakeCase(const std::string& id, const std::string& person_id) {
  CaseRecord k;
  k.id = id;
  k.type = "wvggz";
  k.definition_version = 3;
  k.state = "aangemeld";
  k.level = "regulier";
  k.version = 1;
  k.municipality = "Kerkrade";
  k.confidentiality = 2;
  k.subject_person_id = person_id;
  k.received_at = At(3, 8);
  k.created_at = At(3, 9);
  k.updated_at = At(3, 10);
  k.deadlines = {
      engine::DeadlineState{"verkennend_onderzoek", At(3, 9), At(17, 9), std::nullopt},
      engine::DeadlineState{"eerste_contact", At(3, 9), At(4, 9), At(3, 15)},
  };
  k.history = {"open", "verrijken"};
  k.data = {{"urgent", true},
            {"count", std::int64_t{42}},
            {"min", std::numeric_limits<std::int64_t>::min()},
            {"max", std::numeric_limits<std::int64_t>::max()},
            {"zero_bool", false},
            {"text", std::string("Zeer \"vertrouwelijk\" \\ é ✓\n")},
            {"empty", std::string()},
            {"datum", std::string("2026-11-23")}};
  return k;
}

AuditEntry MakeAuditEntry(int n) {
  AuditEntry e;
  e.at = At(5, 8) + std::chrono::seconds{n};
  e.action = n % 2 == 0 ? "case.read" : "case.transition";
  e.result = "success";
  e.user_id = "user_" + std::to_string(n % 3);
  e.role = "regisseur";
  e.org_id = "org_ggz";
  e.on_behalf_of = "";
  e.client = "10.0.0." + std::to_string(n % 255);
  e.object_type = "case";
  e.object_id = "case_" + std::to_string(n);
  e.person_id = "person_1";
  e.reason = n % 5 == 0 ? "break-the-glass: crisis" : "";
  return e;
}

void MustWrite(Store& store, WorkFn work) {
  Status st = store.Write(std::move(work));
  ASSERT_TRUE(st.ok()) << st.ToString();
}

}  // namespace casus::storage::testing
