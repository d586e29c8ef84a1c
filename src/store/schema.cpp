#include "store/schema.hpp"

#include <array>
#include <string>

namespace sockeye::store {
namespace {

// Version 1. Column names are the --json flow keys (README "JSON output");
// times are nanoseconds since the Unix epoch (packet time); nested JSON
// objects are flattened with their key as prefix (remote_geo_country), and
// `dpi` holds the DPI fields as one JSON object.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  protocol TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  source_port INTEGER NOT NULL,
  destination_ip TEXT NOT NULL,
  destination_port INTEGER NOT NULL,
  vlan INTEGER NOT NULL,
  ip_proto INTEGER NOT NULL,
  state TEXT NOT NULL,
  end_reason TEXT NOT NULL,
  generation INTEGER NOT NULL,
  packets_sent INTEGER NOT NULL,
  packets_received INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL,
  bytes_received INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  rtt_ms REAL,
  handshake_rtt_ms REAL,
  retransmits INTEGER NOT NULL,
  out_of_order INTEGER NOT NULL,
  duplicate_acks INTEGER NOT NULL,
  dpi_protocol TEXT,
  dpi_domain TEXT,
  dpi TEXT,
  attributed INTEGER NOT NULL,
  pid INTEGER,
  process_name TEXT,
  process_exe TEXT,
  process_user TEXT,
  container TEXT,
  container_kind TEXT,
  container_name TEXT,
  container_image TEXT,
  pod TEXT,
  pod_namespace TEXT,
  process_match TEXT,
  unattributed_reason TEXT,
  remote_name TEXT,
  kernel_rtt_ms REAL,
  remote_mac TEXT,
  remote_vendor TEXT,
  remote_geo_scope TEXT,
  remote_geo_country TEXT,
  remote_geo_city TEXT,
  remote_geo_asn INTEGER,
  remote_geo_organisation TEXT,
  ended INTEGER NOT NULL
);
CREATE UNIQUE INDEX connections_flow ON connections
  (first_seen, source_ip, source_port, destination_ip, destination_port, ip_proto, vlan, generation);
CREATE INDEX connections_last_seen ON connections (last_seen);
CREATE TABLE usage_minutes (
  minute INTEGER NOT NULL,
  process_name TEXT NOT NULL,
  container TEXT NOT NULL,
  dpi_protocol TEXT NOT NULL,
  remote_name TEXT NOT NULL,
  remote_geo_country TEXT NOT NULL,
  remote_geo_asn INTEGER NOT NULL,
  packets_sent INTEGER NOT NULL,
  packets_received INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL,
  bytes_received INTEGER NOT NULL,
  PRIMARY KEY (minute, process_name, container, dpi_protocol, remote_name,
               remote_geo_country, remote_geo_asn)
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 1> kMigrations{kV1};
static_assert(kMigrations.size() == kSchemaVersion);

core::Error newer_file(const Db& db, std::int64_t version) {
    return {core::ErrorCode::unsupported,
            db.path() + ": history store schema version " + std::to_string(version) +
                " is newer than this sockeye reads (" + std::to_string(kSchemaVersion) +
                "): use the sockeye that recorded it"};
}

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

core::Result<void> migrate(Db& db) {
    for (;;) {
        // IMMEDIATE: a second writer waits here (busy timeout) rather than
        // both reading the same version.
        if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r;
        auto version = db.query_int("PRAGMA user_version");
        if (!version) {
            (void)db.exec("ROLLBACK");
            return std::move(version).error();
        }
        if (*version > kSchemaVersion) {
            (void)db.exec("ROLLBACK");
            return newer_file(db, *version);
        }
        if (*version == kSchemaVersion) return db.exec("COMMIT");
        const auto step = kMigrations[static_cast<std::size_t>(*version)];
        auto applied = db.exec(step);
        if (applied) applied = db.exec("PRAGMA user_version = " + std::to_string(*version + 1));
        if (applied) applied = db.exec("COMMIT");
        if (!applied) {
            (void)db.exec("ROLLBACK");
            return applied;
        }
    }
}

core::Result<std::int64_t> readable_version(Db& db) {
    auto version = db.query_int("PRAGMA user_version");
    if (!version) return version;
    if (*version > kSchemaVersion) return newer_file(db, *version);
    if (*version < 1)
        return core::Error{core::ErrorCode::bad_format, db.path() + ": not a sockeye history store (no schema version)"};
    return version;
}

}  // namespace sockeye::store
