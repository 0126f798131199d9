#!/usr/bin/env python3
"""Writes the built-in profile's titles, messages and tips as a gettext template fragment.

Usage: po/profile_strings.py config/default.toml REFERENCE OUT.pot

Each msgid is the exact text limberd shows (TOML escapes resolved), so that the daemon's tr() of the
built-in profile's text finds it. A profile the user writes is never translated.
"""
import sys
import tomllib


def po_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def main():
    source, reference, out = sys.argv[1:4]
    with open(source, "rb") as f:
        profile = tomllib.load(f)
    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()

    def line_of(text):
        quoted = po_quote(text)  # TOML basic strings quote like this for the texts we have
        for number, line in enumerate(lines, 1):
            if quoted in line:
                return number
        return 0

    entries = []  # (msgid, comment, line)
    seen = set()
    for name, reminder in profile.get("reminders", {}).items():
        texts = []
        if "title" in reminder:
            texts.append((reminder["title"], f"The built-in profile: the title of the reminder '{name}'."))
        if "message" in reminder:
            texts.append((reminder["message"], f"The built-in profile: the message of the reminder '{name}'."))
        for tip in reminder.get("tips", []):
            texts.append((tip, f"The built-in profile: a tip of the reminder '{name}'. Health wording: never "
                               "stronger than the English."))
        for text, comment in texts:
            if text in seen or not text:
                continue
            seen.add(text)
            entries.append((text, comment, line_of(text)))

    with open(out, "w", encoding="utf-8") as f:
        f.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n\n')
        for text, comment, line in entries:
            f.write(f"#. TRANSLATORS: {comment}\n")
            f.write(f"#: {reference}:{line}\n" if line else f"#: {reference}\n")
            if "%" in text:
                f.write("#, no-c-format\n")
            f.write(f"msgid {po_quote(text)}\nmsgstr \"\"\n\n")


if __name__ == "__main__":
    main()
