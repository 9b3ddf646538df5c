//! The tenant screen: the joined card of everything known about one tenant. Later screens
//! (dashboards, deployments, findings, spend) grow from here.

use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use crate::theme::{Role, Theme};
use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;
use silo_core::column::{CardLine, ColumnSpec};
use silo_core::fleet::health_role;
use silo_core::format::age;
use silo_core::store::{Loadable, TenantRecord};

pub const HINTS: [(Command, &str); 6] = [
    (Command::Back, "back"),
    (Command::Deployments, "deployments"),
    (Command::Down, "scroll"),
    (Command::Refresh, "refresh"),
    (Command::Help, "help"),
    (Command::Quit, "quit"),
];

/// Scrolling of the card (`scroll`, its only state); the card is usually taller than a small
/// terminal.
pub fn handle(scroll: &mut u16, ctx: &Ctx, command: Command) -> Option<Action> {
    if command == Command::Back {
        return Some(Action::Back);
    }
    if let (Command::Deployments | Command::Pause | Command::Resume | Command::Rollback, Screen::Tenant(account)) =
        (command, ctx.screen().clone())
    {
        return super::deploy_detail::act(ctx, &account, command);
    }
    if let (Command::NextRange, Screen::Tenant(account_id)) = (command, ctx.screen()) {
        return Some(Action::NextRange(account_id.clone()));
    }
    crate::widgets::list::scroll(scroll, command, 10);
    None
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, scroll: u16, account_id: &str) {
    let Some(record) = ctx.store.tenants.get(account_id) else {
        let text = format!(" tenant {account_id} is no longer in the fleet (Esc to go back)");
        frame.render_widget(Paragraph::new(Span::styled(text, ctx.theme.style(Role::Error))), area);
        return;
    };
    let mut title = vec![
        Span::styled(format!(" {} ", record.tenant.name), ctx.theme.style(Role::Title)),
        Span::styled(record.health().label(), ctx.theme.style(health_role(record.health()))),
        Span::raw(" "),
    ];
    if ctx.is_production(account_id) {
        title.push(Span::styled("production ", ctx.theme.style(Role::Critical)));
    }
    let title = Line::from(title);
    let block = crate::widgets::list::top_block(ctx, title);
    let outer = block.inner(area);
    frame.render_widget(block, area);
    let dashboard_height = super::dashboard::height(ctx, account_id).min(outer.height / 2);
    let [dash_area, inner] = Layout::vertical([Constraint::Length(dashboard_height), Constraint::Min(1)]).areas(outer);
    super::dashboard::render(frame, dash_area, ctx, account_id);
    let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let column = if inner.width < 100 { inner.width } else { left.width };
    let card = Card { theme: ctx.theme, now: ctx.now, store: ctx.store, width: usize::from(column) };
    let (mut first, mut second) = (card.identity(record), card.alarms(record));
    second.extend(card.details(account_id));
    if inner.width < 100 {
        first.extend(second);
        first.extend(card.right(record));
        frame.render_widget(Paragraph::new(first).wrap(Wrap { trim: false }).scroll((scroll, 0)), inner);
        return;
    }
    first.extend(second);
    let scroll = (scroll, 0);
    frame.render_widget(Paragraph::new(first).wrap(Wrap { trim: false }).scroll(scroll), left);
    frame.render_widget(Paragraph::new(card.right(record)).wrap(Wrap { trim: false }).scroll(scroll), right);
}

struct Card<'a> {
    theme: &'a Theme,
    now: DateTime<Utc>,
    store: &'a silo_core::store::Store,
    /// Columns of the panel the card is drawn in: long text is cut there with … (the detail screens
    /// show it whole) instead of wrapping into the neighbouring panel.
    width: usize,
}

impl Card<'_> {
    fn heading(&self, text: &str) -> Line<'static> {
        Line::from(Span::styled(text.to_string(), self.theme.style(Role::Header)))
    }

    fn field(&self, label: &str, value: String, role: Role) -> Line<'static> {
        Line::from(vec![
            Span::styled(format!("  {label:<14}"), self.theme.style(Role::Muted)),
            Span::styled(self.cut(&value, 16), self.theme.style(role)),
        ])
    }

    /// `text` cut to the panel's width after `indent` columns.
    fn cut(&self, text: &str, indent: usize) -> String {
        silo_core::format::fit(text, self.width.saturating_sub(indent).max(8)).trim_end().to_string()
    }

    /// "loading…", "denied: …" or the age of the data, for a section heading.
    fn status<T>(&self, slot: &Loadable<T>) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some(e) = slot.error() {
            lines.push(Line::from(Span::styled(format!("  ✗ {e}"), self.theme.style(Role::Error))));
        }
        lines.extend(self.freshness(slot));
        lines
    }

    /// "loading…" or how old the shown value is.
    fn freshness<T>(&self, slot: &Loadable<T>) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        match slot {
            Loadable::Idle | Loadable::Loading { previous: None } => {
                lines.push(Line::from(Span::styled("  loading…", self.theme.style(Role::Muted))))
            }
            _ => {}
        }
        if let Some(l) = slot.last() {
            let role = if slot.error().is_some() { Role::Stale } else { Role::Muted };
            lines
                .push(Line::from(Span::styled(format!("  as of {} ago", age(l.at, self.now)), self.theme.style(role))));
        }
        lines
    }

    fn identity(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let t = &r.tenant;
        let mut lines = vec![
            self.heading("Tenant"),
            self.field("account", t.account_id.clone(), Role::Text),
            self.field("region", t.region.clone(), Role::Text),
            self.field("ecs", format!("{}/{}", t.ecs_cluster, t.ecs_service), Role::Text),
            Line::default(),
            self.heading("Service (ECS)"),
        ];
        lines.extend(self.status(&r.service));
        match r.service.value() {
            Some(None) => lines.push(self.field("service", "not found in the cluster".into(), Role::Warning)),
            Some(Some(s)) => {
                let role = if s.running < s.desired { Role::Warning } else { Role::Ok };
                lines.push(self.field(
                    "tasks",
                    format!("{} running / {} desired / {} pending", s.running, s.desired, s.pending),
                    role,
                ));
                lines.push(self.field("task def", s.task_definition.clone(), Role::Text));
                lines.push(self.field("rollout", s.rollout.label().into(), Role::Text));
            }
            None => {}
        }
        lines.extend(self.deployment(r));
        lines.extend(self.terms(r));
        lines.push(Line::default());
        lines
    }

    /// The version it runs, its customer's window and whether that version is certified.
    fn terms(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let standing = silo_core::terms::standing(&r.tenant);
        let version = r.service.value().and_then(|s| s.as_ref()).and_then(|s| s.version.clone());
        let window = match &standing.window {
            None => ("not stated".to_string(), Role::Muted),
            Some(Err(why)) => (why.clone(), Role::Error),
            Some(Ok(w)) => (format!("{} · {}", w.text(), w.label(self.now)), Role::Text),
        };
        let (certification, role) = standing.certification_label(version.as_deref());
        let mut lines = vec![
            self.field("version", version.unwrap_or_else(|| "unknown".into()), Role::Text),
            self.field("window", window.0, window.1),
            self.field("certification", certification, role),
        ];
        lines.extend(self.schedules(&r.tenant.account_id));
        lines.extend(self.last_runs(&r.tenant.account_id));
        lines.extend(self.catalog(&r.tenant.account_id));
        lines
    }

    /// The tenant's scheduled updates (EventBridge Scheduler), soonest first, once read.
    fn schedules(&self, account_id: &str) -> Vec<Line<'static>> {
        let Some(loadable) = self.store.scheduled.get(account_id) else { return Vec::new() };
        if let Some(e) = loadable.error() {
            return vec![self.field("scheduled", format!("✗ {}", e.message), Role::Error)];
        }
        let updates = loadable.value().map(Vec::as_slice).unwrap_or_default();
        if updates.is_empty() {
            let text = if loadable.is_loading() { "reading…" } else { "none" };
            return vec![self.field("scheduled", text.into(), Role::Muted)];
        }
        updates
            .iter()
            .map(|u| {
                let to = u.to_version.as_deref().unwrap_or("?");
                let when = silo_core::terms::window::span(u.at - self.now);
                let text =
                    format!("r{} {to} at {}, in {when} ({})", u.to_revision, u.at.format("%Y-%m-%d %H:%M UTC"), u.name);
                self.field("scheduled", text, Role::Text)
            })
            .collect()
    }

    /// What became of the schedules silo made whose time came (the look-back of
    /// `silo rollout list`), newest first; why one failed or did not run, wrapped below it.
    fn last_runs(&self, account_id: &str) -> Vec<Line<'static>> {
        use silo_core::schedule_outcome::Outcome;
        let Some(tracked) = self.store.outcomes.get(account_id).and_then(|l| l.value()) else { return Vec::new() };
        let mut lines = Vec::new();
        for t in tracked.iter().rev().filter(|t| !t.outcome.is_open()) {
            let (role, why) = match &t.outcome {
                Outcome::Landed { .. } => (Role::Ok, None),
                Outcome::Failed { reason } => (Role::Error, Some(reason)),
                Outcome::NotRun { reason } => (Role::Warning, Some(reason)),
                Outcome::Cancelled { .. } | Outcome::Scheduled | Outcome::Due { .. } => (Role::Muted, None),
            };
            let at = t.planned.at.format("%Y-%m-%d %H:%M UTC");
            let head = match why {
                Some(_) => format!("r{} at {at}: {}", t.planned.to_revision, t.outcome.name().replace('_', " ")),
                None => format!("r{} at {at}: {}", t.planned.to_revision, t.outcome.describe()),
            };
            lines.push(self.field("last run", head, role));
            let width = self.width.saturating_sub(18).max(20);
            lines.extend(why.into_iter().flat_map(|w| words_within(w, width)).map(|l| self.field("", l, Role::Muted)));
        }
        lines
    }

    /// The Service Catalog products it was provisioned from, when those are read.
    fn catalog(&self, account_id: &str) -> Vec<Line<'static>> {
        let Some(loadable) = self.store.provisioned.get(account_id) else { return Vec::new() };
        if let Some(e) = loadable.error() {
            return vec![self.field("catalog", format!("✗ {}", e.message), Role::Error)];
        }
        match loadable.value() {
            Some(Some(products)) => match silo_core::catalog::cell(products) {
                (text, true) => vec![self.field("catalog", text, Role::Error)],
                (text, false) => vec![self.field("catalog", text, Role::Text)],
            },
            Some(None) | None => Vec::new(),
        }
    }

    /// The deployment state in one line (`d` opens the deployments).
    fn deployment(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let loaded = self.store.deployments.get(&r.tenant.account_id).and_then(|l| l.value());
        let Some(s) = loaded else { return Vec::new() };
        let role = match s.state_label().as_str() {
            "PAUSED" | "FAILED" => Role::Critical,
            "stable" => Role::Ok,
            _ => Role::Warning,
        };
        let detail = silo_core::deploy::detail(s, self.now);
        vec![self.field("deployment", format!("{} {detail}", s.state_label()), role)]
    }

    fn alarms(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let mut lines = vec![self.heading("Alarms (CloudWatch)")];
        lines.extend(self.status(&r.alarms));
        if let Some(a) = r.alarms.value() {
            let role = if a.in_alarm() > 0 { Role::Critical } else { Role::Ok };
            lines.push(self.field(
                "in alarm",
                format!("{} of {} ({} without data)", a.in_alarm(), a.total(), a.insufficient_data()),
                role,
            ));
            // Every alarm, ALARM first; firing ones with their reason (`:alarms`, `i` for history).
            for f in &a.alarms {
                let since = f.since.map(|s| format!(" for {}", age(s, self.now))).unwrap_or_default();
                let (mark, role) = match f.state {
                    silo_core::alarms::AlarmState::Alarm => ("●", Role::Critical),
                    silo_core::alarms::AlarmState::InsufficientData => ("◌", Role::Warning),
                    silo_core::alarms::AlarmState::Ok => ("○", Role::Muted),
                };
                let text = format!("  {mark} {} {}{since}", f.name, f.state.label());
                lines.push(Line::from(Span::styled(text, self.theme.style(role))));
                if f.state == silo_core::alarms::AlarmState::Alarm {
                    let reason = format!("    {}", self.cut(&f.reason, 4));
                    lines.push(Line::from(Span::styled(reason, self.theme.style(Role::Muted))));
                }
            }
        }
        lines.push(Line::default());
        lines
    }

    /// The tenant's most severe open findings (`:findings` has them all).
    fn top_findings(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let mut mine: Vec<&silo_core::findings::Finding> =
            self.store.all_findings().filter(|f| f.open && f.account_id == r.tenant.account_id).collect();
        silo_core::findings::sort_for_review(&mut mine);
        let shown = mine.iter().take(5).map(|f| {
            let role = super::findings::severity_role(f.severity);
            Line::from(vec![
                Span::styled(format!("  {:<9}", f.severity.label()), self.theme.style(role)),
                Span::styled(self.cut(&f.title, 11), self.theme.style(Role::Text)),
            ])
        });
        let mut lines: Vec<Line<'static>> = shown.collect();
        if mine.len() > 5 {
            lines.push(Line::from(Span::styled(
                format!("  … {} more in :findings", mine.len() - 5),
                self.theme.style(Role::Muted),
            )));
        }
        lines
    }

    /// A section per tenant detail read for this card (ECS service events…), by name.
    fn details(&self, account_id: &str) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        let of_tenant = self.store.details.iter().filter(|((account, _), _)| account == account_id);
        for ((_, name), slot) in of_tenant {
            lines.push(Line::default());
            lines.push(self.heading(name));
            lines.extend(self.status(slot));
            let shown = slot.value().map(|d| d.0.lines(self.now)).unwrap_or_default();
            lines.extend(
                shown.into_iter().map(|l| Line::from(Span::styled(self.cut(&l.text, 0), self.theme.style(l.role)))),
            );
        }
        lines
    }

    fn right(&self, r: &TenantRecord) -> Vec<Line<'static>> {
        let mut lines = vec![self.heading("Findings (open)")];
        lines.extend(self.freshness(&r.securityhub));
        for (name, slot) in [("Security Hub", &r.securityhub), ("GuardDuty", &r.guardduty)] {
            if let Some(e) = slot.error() {
                lines.push(Line::from(Span::styled(format!("  ✗ {e}"), self.theme.style(Role::Error))));
            }
            match slot.value() {
                Some(Some(c)) => {
                    let role = if c.critical > 0 {
                        Role::Critical
                    } else if c.high > 0 {
                        Role::Warning
                    } else {
                        Role::Ok
                    };
                    let text =
                        format!("critical {} · high {} · medium {} · low {}", c.critical, c.high, c.medium, c.low);
                    lines.push(self.field(name, text, role));
                }
                Some(None) => lines.push(self.field(name, "not configured".into(), Role::Muted)),
                None => {}
            }
        }
        lines.extend(self.top_findings(r));
        lines.push(Line::default());
        lines.push(self.heading("Spend (Budgets, month to date)"));
        lines.extend(self.status(&r.spend));
        match r.spend.value() {
            Some(Some(s)) => {
                let pct = s.percent().map(|p| format!(" ({p}%)")).unwrap_or_default();
                let fpct = s.forecast_percent().map(|p| format!(" ({p}%)")).unwrap_or_default();
                lines.push(self.field("budget", s.budget.clone(), Role::Text));
                lines.push(self.field("actual", format!("{} {}{pct}", s.actual, s.unit), Role::Text));
                lines.push(self.field("limit", format!("{} {}", s.limit, s.unit), Role::Text));
                if let Some(f) = s.forecast {
                    lines.push(self.field("forecast", format!("{f} {}{fpct}", s.unit), Role::Text));
                }
            }
            Some(None) => lines.push(self.field("budget", "none for this account".into(), Role::Muted)),
            None => {}
        }
        for spec in &self.store.columns {
            lines.extend(self.registered(r, spec));
        }
        lines
    }

    /// A registry column's section: its status, then what its value says (or that the tenant
    /// has none).
    fn registered(&self, r: &TenantRecord, spec: &ColumnSpec) -> Vec<Line<'static>> {
        let mut lines = vec![Line::default(), self.heading(spec.section)];
        let Some(slot) = r.column(spec.name) else { return lines };
        lines.extend(self.status(slot));
        match slot.value() {
            Some(Some(v)) => lines.extend(v.data().card(self.now).into_iter().map(|l| self.card_line(l))),
            Some(None) => lines.push(self.field(spec.absent.0, spec.absent.1.into(), Role::Muted)),
            None => {}
        }
        lines
    }

    fn card_line(&self, line: CardLine) -> Line<'static> {
        match line {
            CardLine::Field { label, text, role } => self.field(&label, text, role),
            CardLine::Line { text, role } => self.line(&text, role),
        }
    }

    /// An indented line cut to the panel.
    fn line(&self, text: &str, role: Role) -> Line<'static> {
        Line::from(Span::styled(format!("  {}", self.cut(text, 2)), self.theme.style(role)))
    }
}

/// `text` in lines of at most `width` columns, broken between words (a longer word is cut by
/// the field that shows it).
fn words_within(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
