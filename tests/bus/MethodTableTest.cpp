// Every method of the bus interface has a row in BusService's method table, and no row names a
// method the interface does not have.

#include <limber/adapters/BusService.hpp>
#include <limber/bus/Protocol.hpp>

#include <catch2/catch.hpp>

#include <gio/gio.h>

#include <set>
#include <string>

using namespace limber;

TEST_CASE("BusService's method table covers the interface's methods", "[bus][table]") {
    GError* error = nullptr;
    GDBusNodeInfo* node = g_dbus_node_info_new_for_xml(bus::introspection_xml, &error);
    REQUIRE(node != nullptr);
    REQUIRE(node->interfaces[0] != nullptr);
    CHECK(std::string(node->interfaces[0]->name) == bus::interface);
    std::set<std::string> in_xml;
    for (GDBusMethodInfo** m = node->interfaces[0]->methods; *m != nullptr; ++m) in_xml.insert((*m)->name);
    g_dbus_node_info_unref(node);

    std::set<std::string> in_table;
    for (const auto name : adapters::BusService::method_names()) CHECK(in_table.insert(std::string(name)).second);
    CHECK(in_table == in_xml);
    // The XML was read, not found empty: version 1's methods are all there.
    for (const char* name : {bus::method::get_status, bus::method::pause, bus::method::resume, bus::method::snooze,
                             bus::method::done, bus::method::skip, bus::method::trigger, bus::method::reload,
                             bus::method::schedule, bus::method::history, bus::method::drank})
        CHECK(in_xml.count(name) == 1);
}
