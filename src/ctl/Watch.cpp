#include "Watch.hpp"

#include "BusClient.hpp"

#include <limber/bus/Follower.hpp>
#include <limber/core/Translate.hpp>
#include <limber/ctl/Handlers.hpp>
#include <limber/ctl/Output.hpp>

#include <gio/gio.h>
#include <glib-unix.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <optional>

namespace limber::ctl {
namespace {

class Watcher {
public:
    Watcher(BusClient& bus, std::string format, std::int64_t soon_s)
        : bus_(bus), format_(std::move(format)), soon_s_(soon_s), loop_(g_main_loop_new(nullptr, FALSE)) {}

    ~Watcher() {
        follower_.reset();
        GDBusConnection* c = bus_.connection();
        for (guint* source : {&timer_, &reader_})
            if (*source != 0) g_source_remove(*source);
        if (closed_handler_ != 0) g_signal_handler_disconnect(c, closed_handler_);
        g_main_loop_unref(loop_);
    }

    int run() {
        // A status bar that goes away closes the pipe: write() then fails with EPIPE and we end quietly.
        std::signal(SIGPIPE, SIG_IGN);
        for (int sig : {SIGINT, SIGTERM, SIGHUP})
            g_unix_signal_add(
                sig,
                [](gpointer self) -> gboolean {
                    static_cast<Watcher*>(self)->quit(0);
                    return G_SOURCE_REMOVE;
                },
                this);

        GDBusConnection* c = bus_.connection();
        g_dbus_connection_set_exit_on_close(c, FALSE);
        closed_handler_ = g_signal_connect(c, "closed", G_CALLBACK(&Watcher::on_closed), this);
        watch_reader();
        // limberd's name owner and signals; appeared or vanished is reported once at once: the first line.
        follower_.emplace(c, [this](bool) { refresh(); });
        g_main_loop_run(loop_);
        return status_;
    }

private:
    static void on_closed(GDBusConnection*, gboolean, GError*, gpointer self) {
        std::fprintf(stderr, "limberctl: %s\n", core::tr("lost the D-Bus session bus"));
        static_cast<Watcher*>(self)->quit(1);
    }

    /**
     * A status bar that goes away while nothing changes would otherwise be noticed only at the next
     * write, minutes later. A pipe's or socket's writing end reports POLLERR or POLLHUP once the
     * reading end is gone: watch for that (and nothing else, so a writable stdout never wakes us).
     */
    void watch_reader() {
        struct stat st {};
        if (::fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return;
        reader_ = g_unix_fd_add(
            STDOUT_FILENO, static_cast<GIOCondition>(G_IO_ERR | G_IO_HUP),
            [](gint, GIOCondition, gpointer self) -> gboolean {
                auto* w = static_cast<Watcher*>(self);
                w->reader_ = 0;
                w->quit(0);  // as a write meeting EPIPE: the reader went away, nothing left to do
                return G_SOURCE_REMOVE;
            },
            this);
    }

    void refresh() {
        if (timer_ != 0) {
            g_source_remove(timer_);
            timer_ = 0;
        }
        std::optional<Status> status;
        if (follower_->running()) {
            try {
                status = bus_.status();
            } catch (const BusFailure&) {
                // Gone between the signal and the call: the name watch says so next.
            }
        }
        if (!status) {
            print(stopped_line(format_));
            return;
        }
        print(watch_line(*status, format_, std::time(nullptr), soon_s_));
        if (const auto after = next_change_in(*status, format_, soon_s_))
            // Milliseconds, not g_timeout_add_seconds: that one may fire up to a second late.
            timer_ = g_timeout_add_full(
                G_PRIORITY_DEFAULT, static_cast<guint>(*after * 1000),
                [](gpointer self) -> gboolean {
                    auto* w = static_cast<Watcher*>(self);
                    w->timer_ = 0;
                    w->refresh();
                    return G_SOURCE_REMOVE;
                },
                this, nullptr);
    }

    /** One line per change: an unchanged line is not repeated. */
    void print(const std::string& line) {
        if (line == last_) return;
        last_ = line;
        const std::string text = line + "\n";
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == EPIPE) {
                quit(0);  // the reader went away: nothing left to do
                return;
            }
            if (n <= 0) {
                quit(output_failed(n < 0 ? errno : EIO));  // a full disk, a closed stdout: said, exit 1
                return;
            }
            done += static_cast<std::size_t>(n);
        }
    }

    void quit(int status) {
        status_ = status;
        g_main_loop_quit(loop_);
    }

    BusClient& bus_;
    std::string format_;
    std::int64_t soon_s_;
    GMainLoop* loop_;
    std::optional<bus::Follower> follower_;
    guint timer_ = 0;
    guint reader_ = 0;
    gulong closed_handler_ = 0;
    std::string last_;
    int status_ = 0;
};

}  // namespace

int watch(BusClient& bus, const std::string& format, std::int64_t soon_s) { return Watcher(bus, format, soon_s).run(); }

}  // namespace limber::ctl
