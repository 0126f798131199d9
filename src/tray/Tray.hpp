#pragma once
// limber-tray's wiring: follows limberd (bus::Follower: its name owner and signals, never polling),
// reads its status (GetStatus) at each change, and shows the TrayModel through the
// StatusNotifierItem and the TrayMenu. The one timer is armed for the moment a shown count-down
// changes, and the clocks are run down locally then (limberd is not asked again). Each menu action
// calls the bus method the matching limberctl command calls (src/ctl/Handlers.cpp).

#include "../ctl/BusClient.hpp"
#include "StatusNotifierItem.hpp"
#include "TrayMenu.hpp"

#include <limber/bus/Follower.hpp>
#include <limber/tray/TrayModel.hpp>

#include <cstdint>
#include <optional>
#include <string>

typedef struct _GMainLoop GMainLoop;

namespace limber::tray {

class Tray {
public:
    /** `icon_theme_path`: the root of the theme that holds limber's tray icons (may be empty). */
    Tray(ctl::BusClient& bus, GMainLoop* loop, const std::string& icon_theme_path);
    ~Tray();
    Tray(const Tray&) = delete;
    Tray& operator=(const Tray&) = delete;

private:
    void refresh(bool running);
    void render();
    void act(Action action);
    void toggle_pause();
    void read_settings();
    void notify(const std::string& summary, const std::string& body);

    ctl::BusClient& bus_;
    GMainLoop* loop_;
    TrayMenu menu_;
    StatusNotifierItem item_;
    std::optional<bus::Status> status_;
    std::int64_t read_at_us_ = 0;  ///< monotonic time of status_
    TraySettings settings_;
    std::string settings_from_;  ///< the profile file (path, size, time) settings_ came from
    unsigned timer_ = 0;
    std::optional<bus::Follower> follower_;
};

}  // namespace limber::tray
