#include <limber/adapters/ClockWatch.hpp>

#include <limber/adapters/Guarded.hpp>

#include <glib-unix.h>
#include <glib.h>
#include <spdlog/spdlog.h>

#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>

namespace limber::adapters {
namespace {

core::Duration read_clock(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return std::chrono::seconds(ts.tv_sec) +
           std::chrono::duration_cast<core::Duration>(std::chrono::nanoseconds(ts.tv_nsec));
}

std::shared_ptr<spdlog::logger> log() { return spdlog::get("presence"); }

}  // namespace

struct ClockWatch::Impl {
    int fd = -1;
    guint source = 0;
    int zone_fd = -1;
    guint zone_source = 0;
    ~Impl() {
        if (zone_source != 0) g_source_remove(zone_source);
        if (zone_fd >= 0) ::close(zone_fd);
        if (source != 0) g_source_remove(source);
        if (fd >= 0) ::close(fd);
    }
};

std::unique_ptr<daemon::PresenceSource> ClockWatch::make(const daemon::PresenceContext& context) {
    return std::make_unique<ClockWatch>(context);
}

ClockWatch::ClockWatch(const daemon::PresenceContext& context) : context_(context), impl_(std::make_unique<Impl>()) {
    impl_->fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (impl_->fd < 0) {
        log()->warn("clock: no timerfd ({}); wall-clock changes are noticed at the next reminder",
                    std::strerror(errno));
    } else {
        arm();
        impl_->source = g_unix_fd_add(
            impl_->fd, G_IO_IN,
            [](gint, GIOCondition, gpointer self) -> gboolean {
                guarded("the wall-clock watch", [self] { static_cast<ClockWatch*>(self)->on_cancelled(); });
                return G_SOURCE_CONTINUE;
            },
            this);
    }
    // The time zone is /etc/localtime, a symlink that timedatectl replaces: an inotify watch on /etc for
    // entries created, moved in or deleted (not file writes), filtered to that name. Plain inotify rather
    // than GFileMonitor, which would bring GIO's file-monitor machinery and its worker thread.
    impl_->zone_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (impl_->zone_fd >= 0 &&
        ::inotify_add_watch(impl_->zone_fd, "/etc", IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE) >= 0) {
        impl_->zone_source = g_unix_fd_add(
            impl_->zone_fd, G_IO_IN,
            [](gint fd, GIOCondition, gpointer self) -> gboolean {
                alignas(inotify_event) char buffer[4096];
                bool zone = false;
                for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
                    for (char* p = buffer; p < buffer + n;) {
                        const auto* event = reinterpret_cast<const inotify_event*>(p);
                        if (event->len > 0 && std::strcmp(event->name, "localtime") == 0) zone = true;
                        p += sizeof(inotify_event) + event->len;
                    }
                }
                if (zone) {
                    log()->info("clock: the time zone changed (/etc/localtime)");
                    guarded("the time-zone watch", [self] { static_cast<ClockWatch*>(self)->report(); });
                }
                return G_SOURCE_CONTINUE;
            },
            this);
    } else {
        log()->debug("clock: cannot watch /etc for time-zone changes: {}", std::strerror(errno));
    }
}

ClockWatch::~ClockWatch() = default;

bool ClockWatch::in_use() const { return impl_->fd >= 0; }

void ClockWatch::report() {
    if (context_.report) context_.report({name(), daemon::Signal::wall_clock, false, std::nullopt});
}

void ClockWatch::arm() {
    // An absolute timer at the end of time: it never expires, but the kernel cancels it when the clock is set.
    itimerspec spec{};
    spec.it_value.tv_sec = std::numeric_limits<time_t>::max() / 2;
    if (::timerfd_settime(impl_->fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr) != 0)
        log()->warn("clock: cannot arm the wall-clock timer: {}", std::strerror(errno));
}

void ClockWatch::on_cancelled() {
    std::uint64_t expirations = 0;
    const ssize_t n = ::read(impl_->fd, &expirations, sizeof expirations);
    if (n < 0 && errno == EAGAIN) return;
    // ECANCELED: the wall clock jumped (settimeofday, NTP step, resume). Arm again and tell.
    arm();
    log()->debug("clock: the wall clock was set");
    report();
}

core::Duration ClockWatch::slept() { return sleep_.slept(); }

SleepMeter::Reader SleepMeter::system_clocks() {
    return [](Clock c) { return read_clock(c == Clock::boottime ? CLOCK_BOOTTIME : CLOCK_MONOTONIC); };
}

SleepMeter::SleepMeter(Reader read) : read_(std::move(read)), offset_(offset()) {}

core::Duration SleepMeter::offset() const {
    // BOOTTIME - MONOTONIC, which grows only while the machine is suspended. MONOTONIC is read between
    // two BOOTTIME reads and compared with their middle: jitter stays in microseconds.
    const core::Duration b0 = read_(Clock::boottime);
    const core::Duration m = read_(Clock::monotonic);
    const core::Duration b1 = read_(Clock::boottime);
    return b0 + (b1 - b0) / 2 - m;
}

core::Duration SleepMeter::slept() {
    const core::Duration now = offset();
    const core::Duration grown = now - offset_;
    offset_ = now;
    // Below a millisecond is reading jitter, not sleep.
    return grown > std::chrono::milliseconds(1) ? grown : core::Duration::zero();
}

}  // namespace limber::adapters
