"""The one small style sheet of every page ``reanalyse`` writes on its own: the index, failure
pages, and the screen and extract reports (the claim-check reports add theirs to nbconvert's).

Pages fit a phone: tables scroll sideways inside a ``.table-scroll`` box, never the page.
"""

__all__ = ["PAGE_STYLE"]

PAGE_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.muted { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem;
         border-bottom: 1px solid #d0d7de; }
th { background: #f6f8fa; }
pre { white-space: pre-wrap; background: #fff5f5; border: 1px solid #f0b4b4; padding: .8rem;
      border-radius: 4px; }
.status-failed, .status-bad_input { color: #a40e26; font-weight: 600; }
.status-ran, .status-up_to_date { color: #1a7f37; }
.table-scroll { max-width: 100%; overflow-x: auto; }
table.summary { width: auto; }
table.rows td.short { white-space: nowrap; }
table.rows td.prose { min-width: 16rem; }
dl.details dt { font-weight: 600; margin-top: .5rem; }
dl.details dd { margin-left: 1rem; overflow-wrap: anywhere; }
"""
