"""Calendar upkeep (工作日历维护, issue 11 §6): admins enter the holidays and make-up workdays of the years
chinesecalendar does not know, and local adjustments, in a year view; a banner warns while a year is
incomplete. The rows are jurisdictions.models.CalendarDay and CalendarYear; the arithmetic stays in
jurisdictions.rules.calendar."""
