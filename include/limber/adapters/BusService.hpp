#pragma once
// limberd's side of the session-bus interface (GDBus): turns method calls
// into typed calls on a core::Controller, its refusals into D-Bus errors,
// and the daemon's changes into properties and signals. Nothing else in
// limberd touches GVariant.

#include <limber/core/Control.hpp>

#include <gio/gio.h>

#include <cstdint>
#include <string>
#include <vector>

namespace limber::adapters {

class BusService {
public:
    /** Exports the interface on `bus` at bus::path. */
    BusService(GDBusConnection* bus, core::Controller& controller);
    ~BusService();
    BusService(const BusService&) = delete;
    BusService& operator=(const BusService&) = delete;

    /** Re-reads the status and emits PropertiesChanged for what changed. */
    void refresh();
    void emit_shown(const std::vector<std::string>& names, const std::string& title);
    void emit_answered(const std::string& name, core::Outcome outcome);

private:
    struct Properties {
        std::string state;
        std::int64_t paused_until = 0;
        std::string next_reminder;
        std::int64_t next_due = 0;
    };
    Properties read_properties();
    static void on_method(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* method,
                          GVariant* parameters, GDBusMethodInvocation* invocation, gpointer self);
    static GVariant* on_get_property(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
                                     GError** error, gpointer self);
    GVariant* dispatch(const std::string& method, GVariant* parameters);

    GDBusConnection* bus_;
    core::Controller& controller_;
    GDBusNodeInfo* node_;
    guint registration_ = 0;
    Properties last_;
};

}  // namespace limber::adapters
