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

// Version 2:
// - usage rows count the connections they hold (each in the row of its
//   first write), so a report's connection counts come from the usage rows
//   as its bytes do. A version 1 file's connections are counted into the
//   row of their last packet, the only minute the file still knows.
// - usage_hours: the same sums per hour, without the remote's name and AS,
//   written beside the minute rows. A report by process, application,
//   country, container or day reads it for the whole hours of its range
//   (a few hundred rows an hour where the minutes hold thousands), the
//   minute rows only at the range's ends; by host it reads the minutes.
// The INSERT ... SELECTs need their WHERE for SQLite to parse the ON CONFLICT.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE usage_minutes ADD COLUMN connections INTEGER NOT NULL DEFAULT 0;
INSERT INTO usage_minutes (minute, process_name, container, dpi_protocol, remote_name,
                           remote_geo_country, remote_geo_asn, packets_sent, packets_received,
                           bytes_sent, bytes_received, connections)
  SELECT (last_seen / 60000000000 - (last_seen % 60000000000 < 0)) * 60,
         coalesce(process_name, ''), coalesce(container, ''), coalesce(dpi_protocol, ''),
         coalesce(remote_name, ''), coalesce(remote_geo_country, ''), coalesce(remote_geo_asn, 0),
         0, 0, 0, 0, count(*)
  FROM connections WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT DO UPDATE SET connections = connections + excluded.connections;
CREATE TABLE usage_hours (
  hour INTEGER NOT NULL,
  process_name TEXT NOT NULL,
  container TEXT NOT NULL,
  dpi_protocol TEXT NOT NULL,
  remote_geo_country TEXT NOT NULL,
  packets_sent INTEGER NOT NULL,
  packets_received INTEGER NOT NULL,
  bytes_sent INTEGER NOT NULL,
  bytes_received INTEGER NOT NULL,
  connections INTEGER NOT NULL,
  PRIMARY KEY (hour, process_name, container, dpi_protocol, remote_geo_country)
) WITHOUT ROWID;
INSERT INTO usage_hours
  SELECT minute - (minute % 3600 + 3600) % 3600, process_name, container, dpi_protocol,
         remote_geo_country, sum(packets_sent), sum(packets_received), sum(bytes_sent),
         sum(bytes_received), sum(connections)
  FROM usage_minutes GROUP BY 1, 2, 3, 4, 5;
)sql";

constexpr std::array<std::string_view, 2> kMigrations{kV1, kV2};
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
