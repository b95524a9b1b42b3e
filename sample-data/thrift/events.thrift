// The ThriftPy event log's IDL: an Event envelope whose payload is a domain event serialized by Thrift,
// and the user-account domain events generate.py writes. Eventscope reads the payloads without this file
// (fields keyed by id) or with it (`--schema events.thrift`: fields and enums by name).

namespace py eventlog

// The envelope. In thrift-*.sqlite its fields are the event_log table's columns (id -> event_id,
// type -> type, timestamp -> timestamp in ms, payload -> payload), the payload a domain event below.
struct Event {
  1: string id,
  2: string type,
  3: i64 timestamp,
  4: binary payload,
}

enum Role {
  VIEWER = 1,
  EDITOR = 2,
  ADMIN = 3,
}

enum Channel {
  EMAIL = 1,
  SMS = 2,
  PUSH = 3,
}

struct Address {
  1: string street,
  2: string city,
  3: string country,
  4: optional i32 postcode,
}

struct GeoPoint {
  1: double lat,
  2: double lon,
}

struct Device {
  1: string name,
  2: i16 os_version,
  3: optional GeoPoint last_seen,
}

struct UserCreatedEvent {
  1: string user_id,
  2: string name,
  3: string email,
  4: Role role,
  5: Address address,
  6: set<string> tags,
  7: map<string, string> attributes,
  8: i64 created_at_ms,
}

struct UserRenamed {
  1: string old_name,
  2: string new_name,
}

struct EmailChanged {
  1: string email,
  2: bool verified,
}

struct AvatarUploaded {
  1: binary image,
  2: string mime,
  3: i32 width,
  4: i32 height,
  5: binary sha1,
}

struct LoginRecorded {
  1: string ip,
  2: double latency_ms,
  3: list<Device> devices,
  4: byte attempts,
  5: i64 session,
}

struct PreferencesUpdated {
  1: map<Channel, bool> notifications,
  2: map<i32, list<string>> digests_by_hour,
  3: list<double> weights,
}

struct UserDeactivated {
  1: string reason,
  2: i64 balance_micros,
  3: set<i32> closed_tickets,
}
