//! `:health`: the organization's AWS Health events ("is it AWS or us?"), open and upcoming first,
//! each with the tenants it affects; Enter opens the first affected tenant's card.

use crate::action::{Action, Screen};
use crate::context::Ctx;
use crate::keymap::Command;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState};
use ratatui::Frame;
use silo_core::aws_health::HealthEvent;
use silo_core::format::fit;
use silo_core::role::Role;

pub const HINTS: [(Command, &str); 5] = [
    (Command::Down, "move"),
    (Command::Open, "tenant"),
    (Command::Refresh, "refresh"),
    (Command::Back, "back"),
    (Command::Quit, "quit"),
];

/// The selected row (the events themselves are in the store).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthState {
    pub selected: usize,
}

fn events<'a>(ctx: &Ctx<'a>) -> &'a [HealthEvent] {
    let list = answer(ctx);
    list.value().copied().and_then(|v| v.as_deref()).unwrap_or_default()
}

/// The organization's events as read (`:health` asks for them when it opens).
fn answer<'a>(ctx: &Ctx<'a>) -> silo_core::store::Loadable<&'a Option<Vec<HealthEvent>>> {
    let events = silo_core::aws_health::EVENTS;
    ctx.store.answer(&events, &events.of_org())
}

pub fn handle(state: &mut HealthState, ctx: &Ctx, command: Command) -> Option<Action> {
    let list = events(ctx);
    let last = list.len().saturating_sub(1);
    match command {
        Command::Back => return Some(Action::Back),
        Command::Open => return open(ctx, list.get(state.selected)?),
        Command::Down => state.selected = (state.selected + 1).min(last),
        Command::Up => state.selected = state.selected.saturating_sub(1),
        Command::Top => state.selected = 0,
        Command::Bottom => state.selected = last,
        _ => {}
    }
    None
}

/// The card of the first affected account that is a tenant.
fn open(ctx: &Ctx, event: &HealthEvent) -> Option<Action> {
    let tenant = event.affected.iter().find(|a| ctx.store.tenants.contains_key(&a.account_id))?;
    Some(Action::Navigate(Screen::Tenant(tenant.account_id.clone())))
}

/// Affected tenants by name, other accounts by id.
fn affected(ctx: &Ctx, event: &HealthEvent) -> String {
    let name = |id: &str| ctx.store.tenants.get(id).map(|r| r.tenant.name.clone()).unwrap_or_else(|| id.to_string());
    event.affected.iter().map(|a| name(&a.account_id)).collect::<Vec<_>>().join(", ")
}

pub fn render(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &HealthState) {
    let theme = ctx.theme;
    let loadable = answer(ctx);
    let title = format!(" AWS Health · {} events ", events(ctx).len());
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.style(Role::Title)))
        .border_style(theme.style(Role::Border));
    let note = match (loadable.value(), loadable.error()) {
        (_, Some(e)) => Some((format!(" ✗ {e}"), Role::Error)),
        (None, None) => Some((" loading…".to_string(), Role::Muted)),
        (Some(None), None) => {
            Some((" not configured: set [health] account_id (see docs/configuration.md)".into(), Role::Muted))
        }
        (Some(Some(list)), None) if list.is_empty() => Some((" no AWS Health event this week".into(), Role::Ok)),
        (Some(Some(_)), None) => None,
    };
    if let Some((text, role)) = note {
        frame.render_widget(Paragraph::new(Span::styled(text, theme.style(role))).block(block), area);
        return;
    }
    table(frame, area, ctx, state, block);
}

fn table(frame: &mut Frame, area: Rect, ctx: &Ctx, state: &HealthState, block: Block) {
    let list = events(ctx);
    let theme = ctx.theme;
    let rest = (area.width as usize).saturating_sub(9 + 34 + 11 + 12 + 5).max(12);
    let widths = [9, 34, 11, 12, rest];
    let header = Row::new(["STATUS", "EVENT", "REGION", "SINCE", "AFFECTED"]).style(theme.style(Role::Header));
    let selected = state.selected.min(list.len().saturating_sub(1));
    let range = crate::widgets::list::window(list.len(), selected, area.height.saturating_sub(2) as usize);
    crate::widgets::list::note_rows(ctx, area, 1, &range, selected);
    let rows = list[range.clone()].iter().map(|e| {
        let role = if e.is_current() { Role::Warning } else { Role::Muted };
        let since = e.start.map(|s| s.format("%b %d %H:%M").to_string()).unwrap_or_default();
        let cells = [e.status.clone(), e.title(), e.region.clone(), since, affected(ctx, e)];
        Row::new(cells.into_iter().zip(widths).map(|(c, w)| fit(&c, w))).style(theme.style(role))
    });
    let mut table_state = TableState::default().with_selected(Some(selected - range.start));
    let table = Table::new(rows, widths.map(|w| Constraint::Length(w as u16)))
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}
