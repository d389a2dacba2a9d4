"""Text copied out of a browser: the story's paragraphs, its headline lines, and the chrome dropped.

A browser's clipboard holds a page as plain text with one line per block (``innerText``): the
headline, the standfirst, the byline and the date are lines of their own, and so is every menu
item, caption, teaser, share button and appeal. Lines are never joined into one paragraph
unless the text is hard-wrapped (fixed-width e-mail text), and each line is classified:

- chrome, by the class of line many publishers share (controls such as "Share" or "Image 1 of 8",
  teasers such as "Read more: …", photo credits, reporting credits, contact lines, donation
  appeals speaking as "we" to "you", lines repeated as a gallery repeats its captions);
- prose (long enough, or a sentence) or short (headings, list items, names).

The story is the best run of prose (a maximum-sum segment: prose lines weigh their words, other
lines cost a little, chrome costs more), so a whole copied page loses its menus, footers and
lists of other headlines. The lines just above and at the top of the run are read as the
headline, standfirst, byline and date. Precision over recall: a story sentence that mentions a
newsletter or a donation is prose, and only lines of a chrome *class* go. Every removed line is
returned, so that the researcher can see and restore it (a restored line's key is in ``keep``).
"""

from .classes import line_is_chrome
from .head import parse_date
from .lines import is_hard_wrapped
from .story import PastedText, find_story

__all__ = ["PastedText", "find_story", "is_hard_wrapped", "line_is_chrome", "parse_date"]
