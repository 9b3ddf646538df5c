//! A customer's maintenance window, as its account tag says it: `DAYS HH:MM-HH:MM TZ`. DAYS is
//! `daily`, `weekdays`, `weekends`, a day (`mon`…`sun`) or days joined by `+` (`sat+sun`); TZ an
//! IANA zone. Only characters AWS allows in tag values, so no commas or brackets. A window whose
//! end is not after its start crosses midnight (the days name the day it starts). Local times
//! are the customer's wall clock: across a DST change a window keeps its local hours, a start in
//! the skipped hour begins when the clock reaches a valid time, a start in the repeated hour takes
//! the first one.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Monday first.
    days: [bool; 7],
    start: NaiveTime,
    end: NaiveTime,
    zone: Tz,
    text: String,
}

/// One occurrence of a window, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

const EXPECTED: &str = "expected `DAYS HH:MM-HH:MM TZ`, e.g. `sun 02:00-04:00 America/Sao_Paulo` \
(DAYS: daily, weekdays, weekends, mon…sun or days joined by +)";
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Window {
    /// Parses a tag value; the error says what was wrong and what is expected.
    pub fn parse(text: &str) -> Result<Window, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [days, hours, zone] = parts.as_slice() else {
            return Err(format!("{text:?}: {EXPECTED}"));
        };
        let days = parse_days(days).map_err(|why| format!("{text:?}: {why}; {EXPECTED}"))?;
        let (start, end) = parse_hours(hours).map_err(|why| format!("{text:?}: {why}; {EXPECTED}"))?;
        let zone: Tz = zone.parse().map_err(|_| {
            format!("{text:?}: {zone:?} is not an IANA time zone (e.g. America/Sao_Paulo, Europe/Berlin, UTC)")
        })?;
        Ok(Window { days, start, end, zone, text: text.split_whitespace().collect::<Vec<_>>().join(" ") })
    }

    /// The window as written (blanks normalised).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The occurrence that starts on the local `date`, if the window runs that day.
    pub fn on(&self, date: NaiveDate) -> Option<Occurrence> {
        if !self.days[date.weekday().num_days_from_monday() as usize] {
            return None;
        }
        let end_date = if self.end > self.start { date } else { date.succ_opt()? };
        let start = resolve(self.zone, date.and_time(self.start))?;
        let end = resolve(self.zone, end_date.and_time(self.end))?;
        (end > start).then_some(Occurrence { start, end })
    }

    /// The occurrence open at `now`, if any.
    pub fn open_at(&self, now: DateTime<Utc>) -> Option<Occurrence> {
        let today = now.with_timezone(&self.zone).date_naive();
        [today.pred_opt(), Some(today)]
            .into_iter()
            .flatten()
            .filter_map(|d| self.on(d))
            .find(|o| o.start <= now && now < o.end)
    }

    /// The first occurrence that starts after `now` (a window open now is not the next one).
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<Occurrence> {
        let today = now.with_timezone(&self.zone).date_naive();
        (0..9)
            .filter_map(|d| today.checked_add_signed(Duration::days(d)))
            .filter_map(|d| self.on(d))
            .find(|o| o.start > now)
    }

    /// `open now, closes in 1h10m` or `next: sun 02:00 UTC-3, in 3d 4h`.
    pub fn label(&self, now: DateTime<Utc>) -> String {
        if let Some(open) = self.open_at(now) {
            return format!("open now, closes in {}", span(open.end - now));
        }
        match self.next_after(now) {
            Some(next) => {
                let local = next.start.with_timezone(&self.zone);
                let day = DAY_NAMES[local.weekday().num_days_from_monday() as usize];
                format!("next: {day} {} {}, in {}", local.format("%H:%M"), zone_label(&local), span(next.start - now))
            }
            None => "never (no day in the window)".into(),
        }
    }
}

/// The zone of a local time as an operator says it: the tz database's abbreviation when it has
/// one (`CET`, `EST`, `UTC`), else the offset from UTC (`UTC-3`, `UTC+5:30`): the database writes
/// `-03` for zones without an abbreviation, which reads as a typo.
pub fn zone_label(local: &chrono::DateTime<Tz>) -> String {
    let abbreviation = local.format("%Z").to_string();
    if abbreviation.chars().any(|c| c.is_ascii_alphabetic()) {
        return abbreviation;
    }
    let seconds = chrono::Offset::fix(local.offset()).local_minus_utc();
    let (sign, minutes) = (if seconds < 0 { '-' } else { '+' }, seconds.abs() / 60);
    match (minutes / 60, minutes % 60) {
        (0, 0) => "UTC".into(),
        (hours, 0) => format!("UTC{sign}{hours}"),
        (hours, rest) => format!("UTC{sign}{hours}:{rest:02}"),
    }
}

/// `3d 4h`, `1h10m`, `25m`: two units at most.
pub fn span(d: Duration) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins}m"),
        (0, h) => format!("{h}h{mins:02}m"),
        (d, h) => format!("{d}d {h}h"),
    }
}

fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    match text.to_ascii_lowercase().as_str() {
        "daily" => days = [true; 7],
        "weekdays" => days[..5].iter_mut().for_each(|d| *d = true),
        "weekends" => days[5..].iter_mut().for_each(|d| *d = true),
        list => {
            for name in list.split('+') {
                let i = DAY_NAMES.iter().position(|d| *d == name).ok_or_else(|| format!("{name:?} is not a day"))?;
                days[i] = true;
            }
        }
    }
    Ok(days)
}

fn parse_hours(text: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let (from, to) = text.split_once('-').ok_or_else(|| format!("{text:?} is not HH:MM-HH:MM"))?;
    let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| format!("{t:?} is not a time HH:MM"));
    let (start, end) = (time(from)?, time(to)?);
    if start == end {
        return Err(format!("{text:?} is empty (start and end are the same)"));
    }
    Ok((start, end))
}

/// A local wall-clock time as an instant: the earlier of a repeated hour, and for a time the
/// clock skips, the instant the clock reaches the next valid minute.
pub(crate) fn resolve(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    (0..=180).find_map(|m| match zone.from_local_datetime(&local.checked_add_signed(Duration::minutes(m))?) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn a_bad_value_says_what_is_wrong_and_what_is_expected() {
        let err = |t: &str| Window::parse(t).unwrap_err();
        assert!(err("sunday 02:00-04:00 UTC").contains("\"sunday\" is not a day"), "{}", err("sunday 02:00-04:00 UTC"));
        assert!(err("sun 2am-4am UTC").contains("not a time HH:MM"));
        assert!(err("sun 02:00-04:00 Mars/Olympus").contains("not an IANA time zone"));
        assert!(err("sun 02:00-04:00").contains("expected `DAYS HH:MM-HH:MM TZ`"));
        assert!(err("sun 02:00-02:00 UTC").contains("is empty"));
    }

    #[test]
    fn open_now_and_the_next_one_in_the_customers_zone() {
        // Sundays 02:00-04:00 in São Paulo (UTC-3, no DST since 2019): 05:00-07:00 UTC.
        let w = Window::parse("sun 02:00-04:00 America/Sao_Paulo").unwrap();
        let sunday_5_50 = utc(2026, 12, 6, 5, 50);
        assert_eq!(w.label(sunday_5_50), "open now, closes in 1h10m");
        let thursday = utc(2026, 12, 3, 1, 0);
        assert_eq!(w.label(thursday), "next: sun 02:00 UTC-3, in 3d 4h");
        assert_eq!(
            w.next_after(sunday_5_50).map(|o| o.start),
            Some(utc(2026, 12, 13, 5, 0)),
            "the open one is not next"
        );
    }

    #[test]
    fn a_window_across_midnight_belongs_to_the_day_it_starts() {
        let w = Window::parse("fri 23:00-01:30 UTC").unwrap();
        assert!(w.open_at(utc(2026, 12, 5, 0, 30)).is_some(), "saturday 00:30 is friday's window");
        assert!(w.open_at(utc(2026, 12, 6, 0, 30)).is_none(), "sunday 00:30 is not");
        assert_eq!(
            w.next_after(utc(2026, 12, 3, 12, 0)).map(|o| (o.start, o.end)),
            Some((utc(2026, 12, 4, 23, 0), utc(2026, 12, 5, 1, 30)))
        );
    }

    #[test]
    fn across_a_dst_change_the_window_keeps_its_local_hours() {
        // Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2).
        let w = Window::parse("sun 01:30-03:30 Europe/Berlin").unwrap();
        let o = w.on(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()).unwrap();
        assert_eq!((o.start, o.end), (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)), "one hour shorter that night");
        let skipped = Window::parse("sun 02:15-04:00 Europe/Berlin").unwrap();
        let o = skipped.on(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()).unwrap();
        assert_eq!(o.start, utc(2026, 3, 29, 1, 0), "02:15 does not exist: it starts when the clock jumps to 03:00");
        // 2026-10-25 02:00-03:00 happens twice; the first one counts.
        let repeated = Window::parse("sun 02:30-05:00 Europe/Berlin").unwrap();
        let o = repeated.on(NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()).unwrap();
        assert_eq!(o.start, utc(2026, 10, 25, 0, 30));
    }

    #[test]
    fn day_sets() {
        let sat = utc(2026, 12, 5, 12, 0);
        assert!(Window::parse("weekends 00:00-23:59 UTC").unwrap().open_at(sat).is_some());
        assert!(Window::parse("weekdays 00:00-23:59 UTC").unwrap().open_at(sat).is_none());
        assert!(Window::parse("sat+sun 11:00-13:00 UTC").unwrap().open_at(sat).is_some());
        assert!(Window::parse("daily 11:00-13:00 UTC").unwrap().open_at(sat).is_some());
    }

    const ZONES: [&str; 6] =
        ["UTC", "America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"];

    proptest! {
        /// Whatever the zone, hours and moment: the next window starts after now, on an allowed
        /// local day, within 8 days; it is never open at `now` unless `open_at` says so.
        #[test]
        fn the_next_window_is_after_now_and_open_at_agrees(
            zone in 0usize..ZONES.len(),
            day in 0usize..7,
            (sh, sm, eh, em) in (0u32..24, 0u32..60, 0u32..24, 0u32..60),
            secs in 1_767_225_600i64..1_830_297_600i64,
        ) {
            prop_assume!((sh, sm) != (eh, em));
            let text = format!("{} {sh:02}:{sm:02}-{eh:02}:{em:02} {}", DAY_NAMES[day], ZONES[zone]);
            let w = Window::parse(&text).unwrap();
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            let next = w.next_after(now).expect("a weekly window recurs");
            prop_assert!(next.start > now && next.start - now <= Duration::days(8), "{text} at {now}: {next:?}");
            prop_assert!(next.end > next.start);
            let local_day = next.start.with_timezone(&w.zone).date_naive();
            let allowed = |d: NaiveDate| w.days[d.weekday().num_days_from_monday() as usize];
            prop_assert!(allowed(local_day) || local_day.pred_opt().is_some_and(allowed), "{text}: {next:?}");
            if let Some(open) = w.open_at(now) {
                prop_assert!(open.start <= now && now < open.end);
            }
            // Just before the next start it is not yet that window; at its start it is open.
            prop_assert!(w.open_at(next.start).is_some(), "{text}: open at its own start");
        }
    }
}

#[cfg(test)]
mod zone_labels {
    use super::*;

    #[test]
    fn a_zone_without_an_abbreviation_is_said_as_its_offset_from_utc() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        let label = |zone: Tz| zone_label(&at.with_timezone(&zone));
        assert_eq!(label(chrono_tz::America::Sao_Paulo), "UTC-3");
        assert_eq!(label(chrono_tz::Asia::Kolkata), "IST");
        assert_eq!(label(chrono_tz::Asia::Kathmandu), "UTC+5:45");
        assert_eq!(label(chrono_tz::Europe::Berlin), "CET");
        assert_eq!(label(chrono_tz::UTC), "UTC");
        assert_eq!(label(chrono_tz::America::St_Johns), "NST");
    }
}
