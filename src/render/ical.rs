//! The release calendar as an RFC 5545 feed: one all-day event per
//! milestone, with UIDs that stay the same from build to build so calendar
//! apps update events instead of duplicating them.

use chrono::NaiveDate;

use crate::releases::{Release, ReleaseStatus};

/// `calendar.ics` for `releases`; `name` titles the calendar. UIDs are
/// `<version>-<milestone>@<uid domain>`: the site's title can change, they
/// do not. DTSTAMP is when the feed was made (RFC 5545 §3.8.7.2).
pub(crate) fn ics(name: &str, site: &crate::releases::FeedSite, releases: &[Release]) -> String {
    let mut out = String::new();
    let mut line = |l: String| fold(&mut out, &l);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//almanac//release calendar//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    let domain = &site.uid_domain;
    let stamp = site.stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for r in releases {
        let title = match &r.name {
            Some(n) => format!("{} {} ({n})", name_of(r), r.version),
            None => format!("{} {}", name_of(r), r.version),
        };
        let mut events: Vec<(&str, String, NaiveDate)> = Vec::new();
        if let Some(p) = &r.planned {
            if let Some(d) = p.feature_freeze {
                events.push(("feature-freeze", format!("Feature freeze: {title}"), d));
            }
            if let Some(d) = p.rc {
                events.push(("rc", format!("Release candidate: {title}"), d));
            }
        }
        if let Some(d) = r.actual.or(r.latest_planned) {
            events.push(("release", format!("Release: {title}"), d));
        }
        for (milestone, summary, date) in events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}-{milestone}@{domain}", r.version));
            line(format!("DTSTAMP:{stamp}"));
            line(format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
            line(format!(
                "DTEND;VALUE=DATE:{}",
                date.succ_opt().unwrap_or(date).format("%Y%m%d")
            ));
            line(format!("SUMMARY:{}", escape(&summary)));
            let mut desc = format!(
                "{} release {}, status {}.",
                r.kind.as_str(),
                r.version,
                r.status
            );
            if let Some(slip) = r.slip_days {
                desc.push_str(&format!(" Slip {slip} days."));
            }
            for replan in &r.replans {
                desc.push_str(&format!(
                    "\nReplanned on {} to {}{}",
                    replan.on,
                    replan.release,
                    replan
                        .reason
                        .as_ref()
                        .map(|w| format!(": {w}"))
                        .unwrap_or_default()
                ));
            }
            line(format!("DESCRIPTION:{}", escape(&desc)));
            line(format!("CATEGORIES:{}", r.kind.as_str().to_uppercase()));
            line(format!(
                "STATUS:{}",
                match r.status {
                    ReleaseStatus::Cancelled => "CANCELLED",
                    ReleaseStatus::Released => "CONFIRMED",
                    _ => "TENTATIVE",
                }
            ));
            line("TRANSP:TRANSPARENT".into());
            line("END:VEVENT".into());
        }
    }
    line("END:VCALENDAR".into());
    out
}

fn name_of(r: &Release) -> &'static str {
    match r.kind.as_str() {
        "major" => "Major",
        "minor" => "Minor",
        "patch" => "Patch",
        "hotfix" => "Hotfix",
        _ => "Security",
    }
}

/// TEXT escaping of RFC 5545 §3.3.11.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8
/// character), each physical line ending in CRLF (RFC 5545 §3.1).
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_folding() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        fold(&mut out, &format!("SUMMARY:{}", "é".repeat(50)));
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', "").len(),
            "SUMMARY:".len() + 100
        );
    }
}
