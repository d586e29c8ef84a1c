// sockeye's start-up in three steps, for least privilege:
//   1. open every handle: capture, sock_diag socket, c-ares channel, export
//      files, terminal, config;
//   2. enter_sandbox(): sandbox::apply(), which starts the process-attribution
//      thread between no_new_privs and Landlock (it must read other
//      processes' /proc/PID/fd, which a Landlock domain forbids);
//   3. start the other threads (resolver, export writers, packets, UI), which
//      inherit every layer.
// app/session.cpp follows it for every mode; this file only decides what
// the sandbox allows for a run and how its outcome is told.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "core/result.hpp"
#include "export/exporter.hpp"
#include "sandbox/sandbox.hpp"
#include "snapshot/snapshot.hpp"

namespace sockeye::app {

// What the monitor still does after start-up, besides the options.
struct RunNeeds {
    bool attribution = false;  // the process-attribution thread runs
    bool reverse_dns = false;  // the reverse resolver runs
    std::string config_path;   // the settings file read (empty: none)
    exports::ExportAccess exports;  // files the exports write, collectors they reconnect to
};

// TCP ports c-ares may connect to for --dns-server "IP[:PORT],..." (DNS
// falls back to TCP for truncated answers); 53 for entries without a port.
// Empty for an empty list.
std::vector<std::uint16_t> dns_server_tcp_ports(const std::string& servers);

// The request for this run: what Landlock lets it read, write and connect
// to, which capabilities it keeps, and strict mode.
sandbox::SandboxRequest sandbox_request_for(const Options& options, const RunNeeds& needs);

struct SandboxOutcome {
    snapshot::SandboxStatus status;  // for the UI's side panel
    sandbox::SandboxReport report;   // empty with --no-sandbox
    std::optional<core::Error> error;  // --sandbox-strict and not fully enforced (permission_denied)
};

// Step 2. With --no-sandbox only runs `start_unconfined`. `announce_gaps`:
// print one stderr line when a layer is missing (plain and headless modes;
// the UI shows it in its side panel instead).
SandboxOutcome enter_sandbox(const Options& options, const sandbox::SandboxRequest& request,
                             const std::function<void()>& start_unconfined, bool announce_gaps);

// The status shown for a report (and for --no-sandbox: a null report).
snapshot::SandboxStatus sandbox_status(const sandbox::SandboxReport* report);

}  // namespace sockeye::app
