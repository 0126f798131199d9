#pragma once
// limber's StatusNotifierItem (org.kde.StatusNotifierItem, the tray protocol of KDE, XFCE, Ubuntu's
// AppIndicator extension and Waybar): a small GDBus object under a bus name of its own, registered
// with org.kde.StatusNotifierWatcher whenever one is there (again after the watcher restarts; no
// watcher: it waits, silently). It shows what it is given and says so with NewIcon, NewStatus and
// NewToolTip, each only when that part changed. The menu is exported apart (TrayMenu).

#include <functional>
#include <string>

typedef struct _GDBusConnection GDBusConnection;
typedef struct _GVariant GVariant;
typedef struct _GError GError;
typedef struct _GDBusMethodInvocation GDBusMethodInvocation;

namespace limber::tray {

/** What the item shows. */
struct ItemLook {
    std::string icon;    ///< IconName
    std::string status;  ///< Active, Passive or NeedsAttention
    std::string tooltip_title;
    std::string tooltip_body;
    bool operator==(const ItemLook&) const = default;
};

class StatusNotifierItem {
public:
    /**
     * Exports the item on `connection` (borrowed) at /StatusNotifierItem, with the icons of
     * `icon_theme_path` (a theme's root: hicolor/scalable/apps/ below it) and the menu at `menu_path`.
     * `activate` is called on Activate (a left click, from a host that does not honour ItemIsMenu).
     */
    StatusNotifierItem(GDBusConnection* connection, std::string icon_theme_path, std::string menu_path,
                       std::function<void()> activate);
    ~StatusNotifierItem();
    StatusNotifierItem(const StatusNotifierItem&) = delete;
    StatusNotifierItem& operator=(const StatusNotifierItem&) = delete;

    void show(const ItemLook& look);

private:
    static void method_call(GDBusConnection*, const char*, const char*, const char*, const char* method,
                            GVariant* parameters, GDBusMethodInvocation* invocation, void* self);
    static GVariant* get_property(GDBusConnection*, const char*, const char*, const char*, const char* property,
                                  GError** error, void* self);
    void emit(const char* signal, GVariant* parameters);
    void register_with_watcher();

    GDBusConnection* connection_;
    std::string icon_theme_path_;
    std::string menu_path_;
    std::function<void()> activate_;
    std::string bus_name_;
    ItemLook look_;
    unsigned object_ = 0;
    unsigned owner_ = 0;
    unsigned watcher_watch_ = 0;
    bool name_owned_ = false;
    bool watcher_there_ = false;
};

}  // namespace limber::tray
