"""Pure text helpers shared by the site, the metrics report, the CI texts and the e-mails."""
