#pragma once
// limber-tray's menu over com.canonical.dbusmenu (libdbusmenu-glib's DbusmenuServer): a fixed list of
// items whose labels, visibility and sensitivity follow the TrayModel; a click on one calls back with
// its Action. What each action does is Tray's (the same bus call as the matching limberctl command).

#include <limber/tray/TrayModel.hpp>

#include <array>
#include <functional>

typedef struct _DbusmenuServer DbusmenuServer;
typedef struct _DbusmenuMenuitem DbusmenuMenuitem;

namespace limber::tray {

enum class Action {
    pause_30m,
    pause_1h,
    pause_tomorrow,
    pause_until_resumed,
    resume,
    snooze,
    done,
    drank,
    statistics,
    reload,
    quit
};

class TrayMenu {
public:
    /** Exports the menu on the session bus at `path`. */
    TrayMenu(const char* path, std::function<void(Action)> clicked);
    ~TrayMenu();
    TrayMenu(const TrayMenu&) = delete;
    TrayMenu& operator=(const TrayMenu&) = delete;

    /** Sets every item from the model; dbusmenu tells the host only what changed. */
    void show(const TrayModel& model);

private:
    DbusmenuMenuitem* add_item(const char* label, std::function<void()> on_click);
    DbusmenuMenuitem* add_separator();

    DbusmenuServer* server_;
    DbusmenuMenuitem* root_;
    std::function<void(Action)> clicked_;
    std::array<DbusmenuMenuitem*, max_upcoming> upcoming_{};
    DbusmenuMenuitem* pause_30m_ = nullptr;
    DbusmenuMenuitem* pause_1h_ = nullptr;
    DbusmenuMenuitem* pause_tomorrow_ = nullptr;
    DbusmenuMenuitem* resume_ = nullptr;
    DbusmenuMenuitem* snooze_ = nullptr;
    DbusmenuMenuitem* done_ = nullptr;
    DbusmenuMenuitem* water_ = nullptr;
    DbusmenuMenuitem* drank_ = nullptr;
    DbusmenuMenuitem* statistics_ = nullptr;
    DbusmenuMenuitem* reload_ = nullptr;
};

}  // namespace limber::tray
