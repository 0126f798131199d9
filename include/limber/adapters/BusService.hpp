#pragma once
// limberd's side of the session-bus interface (GDBus): turns method calls
// into typed calls on a core::Controller, its refusals into D-Bus errors,
// and the daemon's changes into properties and signals. Nothing else in
// limberd touches GVariant.

#include <limber/bus/Status.hpp>
#include <limber/core/Control.hpp>

#include <gio/gio.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace limber::adapters {

class BusService {
public:
    /** Exports the interface on `bus` at bus::path. */
    BusService(GDBusConnection* bus, core::Controller& controller);
    ~BusService();
    BusService(const BusService&) = delete;
    BusService& operator=(const BusService&) = delete;

    /** Re-reads the status and emits PropertiesChanged for what changed (property Get answers what it read). */
    void refresh();
    void emit_shown(const std::vector<std::string>& names, const std::string& title);
    void emit_answered(const std::string& name, core::Outcome outcome);

    /** The methods of its method table, for the test that every method of the XML has a row. */
    static std::vector<std::string_view> method_names();

private:
    bus::Properties read_properties();
    static void on_method(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* method,
                          GVariant* parameters, GDBusMethodInvocation* invocation, gpointer self);
    static GVariant* on_get_property(GDBusConnection*, const gchar*, const gchar*, const gchar*, const gchar* property,
                                     GError** error, gpointer self);
    GVariant* dispatch(const std::string& method, GVariant* parameters);

    GDBusConnection* bus_;
    core::Controller& controller_;
    GDBusNodeInfo* node_;
    guint registration_ = 0;
    bus::Properties last_;  ///< what refresh() last read; property Get answers from it
};

}  // namespace limber::adapters
