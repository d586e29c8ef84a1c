// A hand-built TLS ClientHello (GREASE, SNI example.com, ALPN h2 +
// http/1.1, TLS 1.3 + 1.2) and record framing, for TLS and detector tests.
#pragma once

#include "unit/dpi/detector_fixture.hpp"

namespace sockeye::dpi::test {

inline Bytes ext(unsigned type, const Bytes& body) { return Bytes{}.u16(type).vec16(body); }

// ClientHello body: GREASE in suites, extensions, groups and versions.
inline Bytes client_hello_message() {
    Bytes suites;
    for (unsigned s : {0x0a0au, 0x1301u, 0x1302u, 0x1303u, 0xc02bu, 0xc02fu, 0x00ffu}) suites.u16(s);
    Bytes sni = Bytes{}.u8(0).vec16(Bytes{}.str("example.com"));
    Bytes groups;
    for (unsigned g : {0x2a2au, 0x001du, 0x0017u, 0x0018u}) groups.u16(g);
    Bytes alpn = Bytes{}.vec8(Bytes{}.str("h2")).vec8(Bytes{}.str("http/1.1"));
    Bytes sigs = Bytes{}.u16(0x0403).u16(0x0804).u16(0x0401);
    Bytes versions = Bytes{}.u16(0x3a3a).u16(0x0304).u16(0x0303);
    Bytes exts;
    exts.raw(ext(0x1a1a, {}))
        .raw(ext(0x0000, Bytes{}.vec16(sni)))
        .raw(ext(0x0017, {}))
        .raw(ext(0xff01, Bytes{}.u8(0)))
        .raw(ext(0x000a, Bytes{}.vec16(groups)))
        .raw(ext(0x000b, Bytes{}.vec8(Bytes{}.u8(0))))
        .raw(ext(0x0023, {}))
        .raw(ext(0x0010, Bytes{}.vec16(alpn)))
        .raw(ext(0x000d, Bytes{}.vec16(sigs)))
        .raw(ext(0x002b, Bytes{}.vec8(versions)))
        .raw(ext(0x0033, Bytes{}.u16(0)))
        .raw(ext(0x002d, Bytes{}.vec8(Bytes{}.u8(1))));
    Bytes body;
    body.u16(0x0303).fill(32, 0).vec8(Bytes{}.fill(32, 0x11)).vec16(suites);
    body.vec8(Bytes{}.u8(0)).vec16(exts);
    return Bytes{}.u8(1).vec24(body);
}

inline Bytes record(unsigned type, const Bytes& fragment, unsigned version = 0x0301) {
    return Bytes{}.u8(type).u16(version).vec16(fragment);
}

}  // namespace sockeye::dpi::test
