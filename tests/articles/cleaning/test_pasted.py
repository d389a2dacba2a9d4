"""Text copied out of a browser (and .txt uploads): lines, headline lines, chrome by class."""

import re
from datetime import date

import pytest

from articles.cleaning import clean_document, clean_pasted, paragraph_key
from articles.cleaning.pasted import find_story, is_hard_wrapped, parse_date

HEADLINE = "Regulator fines platform over child safety failures"
STANDFIRST = "The watchdog says the company ignored warnings for two years"
STORY = [
    "The number of men referred to the online safety unit rose by a third last year, figures show.",
    "Ofcom said the platform had failed to act on reports about grooming in its chat rooms.",
    "The company said it would appeal against the decision and had already changed its systems.",
    "Campaigners welcomed the fine but said it was small compared with the firm's annual profits.",
]


def paste(*lines: str) -> str:
    """What Chromium's clipboard holds: one line per block, no blank lines between them."""
    return "\n".join(lines)


def test_each_line_of_a_browser_copy_is_a_paragraph():
    article = clean_pasted(paste(*STORY))
    assert article.paragraphs == STORY


def test_headline_standfirst_byline_and_date_lines_become_metadata_not_text():
    article = clean_pasted(paste(HEADLINE, STANDFIRST, "By Jane Doe and Sam Lee", "Tue 19 Nov 2019 08.03 GMT", *STORY))
    assert article.title == HEADLINE
    assert article.standfirst == STANDFIRST
    assert article.authors == ["Jane Doe", "Sam Lee"]
    assert article.published == date(2019, 11, 19)
    assert article.paragraphs == STORY


def test_a_site_line_above_the_headline_names_the_site():
    article = clean_pasted(paste("Home", "Dailyledger.com", HEADLINE, "By Jane Doe", *STORY))
    assert article.site_name == "Dailyledger.com"
    assert article.title == HEADLINE


def test_a_selection_starting_at_the_headline_gives_the_title_instead_of_the_file_name():
    article = clean_document(paste(HEADLINE, *STORY).encode(), filename="seed article.txt")
    assert article.title == HEADLINE
    assert HEADLINE not in article.text


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "Read more: Ministers promise new law on online harms",
        "Related: Why the online safety bill took five years",
        "Sign up to our morning briefing newsletter",
        "Get the latest headlines in your inbox every morning.",
        "Join our commenting forum",
        "Comments are closed",
        "Do you have a story for us? Email the newsroom.",
        "Support now",
        "Share this article",
        "Photo: Hau Dinh, AP",
        "Image 1 of 8",
        "Reporting by Jane Doe; Editing by Sam Lee",
    ],
)
def test_a_chrome_line_inside_the_story_is_removed_and_listed(line):
    article = clean_pasted(paste(*STORY[:2], line, *STORY[2:]))
    assert article.paragraphs == STORY
    assert line in article.removed_boilerplate


@pytest.mark.parametrize(
    "block",
    [
        "<p>Advertisement</p>",
        "<p>Read more: Ministers promise new law on online harms</p>",
        "<figcaption>Photo: Hau Dinh, AP</figcaption>",
        "<p>Do you have a story for us? Email the newsroom.</p>",
    ],
)
def test_a_chrome_block_of_pasted_html_is_removed_and_listed(block):
    html = "".join(f"<p>{s}</p>" for s in STORY[:2]) + block + "".join(f"<p>{s}</p>" for s in STORY[2:])
    article = clean_pasted(html)
    assert article.paragraphs == STORY
    assert re.sub(r"<[^>]*>", "", block) in article.removed_boilerplate


def test_a_run_of_donation_appeal_paragraphs_goes():
    appeal = [
        "We have a small favour to ask.",
        "Millions turn to us for open, independent reporting, and your support makes all the difference.",
        "Unlike many others, we have no shareholders: our journalism is funded by readers like you.",
        "If you can, please support us today with a monthly contribution.",
    ]
    article = clean_pasted(paste(HEADLINE, *STORY[:2], *appeal, *STORY[2:]))
    assert article.paragraphs == STORY


def test_an_appeal_glued_to_the_first_story_sentence_is_cut_off_it():
    glued = "Your support makes all the difference." + STORY[0]
    article = clean_pasted(paste(glued, *STORY[1:]))
    assert article.paragraphs == STORY
    assert "Your support makes all the difference." in article.removed_boilerplate


@pytest.mark.parametrize(
    "sentence",
    [
        "The charity said donations had fallen by a fifth since the newsletter was launched in May.",
        "Readers who signed up to the council's newsletter were told about the closure a week late.",
        "Comments on the forum were closed after the moderators were threatened, police said.",
        "“We need your support to keep the helpline open,” the charity's director said.",
    ],
)
def test_a_story_sentence_about_newsletters_donations_or_comments_stays(sentence):
    article = clean_pasted(paste(*STORY[:2], sentence, *STORY[2:]))
    assert sentence in article.paragraphs


def test_a_whole_copied_page_keeps_only_the_story():
    menu = ["Home", "News", "UK", "World", "Business", "Politics", "Tech", "Science", "Health", "Sport"]
    footer = ["About us", "Contact", "Privacy policy", "Cookie settings", "Terms of use", "Accessibility"]
    others = [
        "Most read",
        "Minister resigns over expenses claims",
        "Storm warning for the north-west",
        "Ten things to do this weekend",
    ]
    page = paste(*menu, HEADLINE, "By Jane Doe", *STORY, "Share this article", *others, *footer)
    article = clean_pasted(page)
    assert article.title == HEADLINE
    assert article.paragraphs == STORY


def test_comments_after_the_story_are_not_the_story():
    comments = [
        "24 comments",
        "Alex on November 19, 2019 at 4:47 pm said:",
        "I think the fine is far too small and the company will simply carry on as before, as it always does.",
    ]
    article = clean_pasted(paste(HEADLINE, *STORY, *comments))
    assert article.paragraphs == STORY


def test_a_gallery_repeating_its_captions_is_dropped():
    caption = "Campaigners outside the regulator's offices in London on Tuesday, as the fine was announced."
    article = clean_pasted(paste(caption, caption, "Photo: Jane Doe", HEADLINE, *STORY))
    assert article.paragraphs == STORY


def test_a_hard_wrapped_email_is_joined_into_its_paragraphs():
    email = (
        "The council met on Tuesday evening to discuss the closure of the library on\n"
        "the high street, which has served the town for more than ninety years and\n"
        "which campaigners say is used by hundreds of children every single week.\n"
        "\n"
        "Councillors voted by seven to four to keep it open until the end of the\n"
        "year, while a community group prepares a bid to run it as a charity with\n"
        "volunteers and a small grant from the county council's heritage fund.\n"
    )
    article = clean_pasted(email)
    assert len(article.paragraphs) == 2
    assert article.paragraphs[0].startswith("The council met") and article.paragraphs[0].endswith("every single week.")


def test_lines_of_a_browser_copy_are_not_mistaken_for_hard_wrapping():
    assert not is_hard_wrapped([*STORY, "", *STORY])


def test_a_paste_that_is_only_a_quote_is_kept_whole():
    quote = "“This is the biggest fine we have ever imposed, and it will not be the last,” the chief executive said."
    article = clean_pasted(quote)
    assert article.text == quote


def test_a_restored_line_is_kept_by_every_rule():
    line = "Read more: Ministers promise new law on online harms"
    article = clean_pasted(paste(*STORY[:2], line, *STORY[2:]), keep=frozenset({paragraph_key(line)}))
    assert line in article.paragraphs
    assert line not in article.removed_boilerplate


def test_a_table_copied_with_its_tabs_stays_in_the_story():
    rows = ["Pos.\tDriver\tPoints", "1\tKyle Busch\t5040", "2\tMartin Truex Jr.\t5035"]
    article = clean_pasted(paste(*STORY[:2], *rows, *STORY[2:]))
    assert "1 Kyle Busch 5040" in article.paragraphs


def test_a_paste_in_a_script_without_spaces_is_weighed_by_its_characters():
    japanese = [
        "今回はそのKindleデスクトップアプリに関する話です。設定で変更できる箇所も少なく、融通が効かない面も多々あります。",
        "パスワード管理ソフトの起動ショートカットキーと同じなのです。これが非常に困ったものでした。",
    ]
    article = clean_pasted(paste("ホーム", "ニュース", *japanese))
    assert article.paragraphs == japanese


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nov. 19, 2019 8:03 am ET", date(2019, 11, 19)),
        ("Published 20 November 2019", date(2019, 11, 20)),
        ("Updated: 2019-11-18 14:05", date(2019, 11, 18)),
        ("The meeting on 19 November 2019 was cancelled after the chairman fell ill on the way there.", None),
    ],
)
def test_date_lines(line, expected):
    assert parse_date(line) == expected


def test_the_story_found_lists_every_line_it_left_out():
    text = paste("Home", "News", HEADLINE, *STORY, "Share this article")
    story = find_story(text)
    assert story.paragraphs == STORY
    assert {"Home", "News", "Share this article"} <= set(story.removed)


def test_pasted_html_copied_from_its_headline_gives_the_title():
    html = f"<meta charset='utf-8'><h1 style='font-size:2em'>{HEADLINE}</h1>" + "".join(f"<p>{s}</p>" for s in STORY)
    article = clean_pasted(html)
    assert article.title == HEADLINE
    assert article.paragraphs == STORY


def test_restoring_an_item_of_a_removed_list_keeps_the_whole_list():
    items = ["Council budget gap widens", "Ferry cuts announced"]
    html = f"<p>{STORY[0]}</p><h2>Related stories</h2><ul><li>{items[0]}</li><li>{items[1]}</li></ul>"
    removed = clean_pasted(html).removed_boilerplate
    assert set(items) <= set(removed)
    restored = clean_pasted(html, keep=frozenset({paragraph_key(items[1])}))
    assert items[1] in restored.paragraphs


def test_a_tag_cloud_on_one_line_is_not_the_story():
    cloud = " ".join(f"tag{n} campaign safety policing budget" for n in range(6))
    article = clean_pasted(paste("Tags", cloud, HEADLINE, *STORY))
    assert article.paragraphs == STORY


def test_a_list_of_other_stories_with_one_line_summaries_is_not_the_story():
    teasers = []
    for n in range(4):
        teasers += [
            f"Other headline number {n} about the council",
            f"A one-line summary of other story number {n}, which the reader may also want to open.",
            f"{n + 1}h ago",
        ]
    article = clean_pasted(paste(HEADLINE, *STORY, "More news", *teasers))
    assert article.paragraphs == STORY


def test_a_copyright_line_ends_the_story():
    footer_prose = "Our company was founded in 1901 and publishes twelve newspapers across the region today."
    article = clean_pasted(paste(HEADLINE, *STORY, "© 2019 Harbour Gazette Ltd. All rights reserved.", footer_prose))
    assert article.paragraphs == STORY


def test_a_name_on_its_own_line_beside_the_date_is_the_byline_not_the_headline():
    article = clean_pasted(paste("Menu", HEADLINE, "Jane Doe", "Nov 18, 2019 @17:19 PM", *STORY))
    assert article.title == HEADLINE
    assert article.authors == ["Jane Doe"]


def test_short_sentences_between_short_lines_are_items_not_teaser_summaries():
    items = []
    for n in range(5):
        items += [f"Step {n + 1}: the form", f"Fill in part {n + 1}."]
    article = clean_pasted(paste(HEADLINE, *STORY, *items))
    assert article.paragraphs[-1] == "Fill in part 5."


def test_a_wordpress_comment_thread_ends_the_story():
    thread = [
        f"34 responses to “{HEADLINE}”",
        "thelastfan says:",
        "November 19, 2019 at 6:34 am",
        "It's a good thing nobody reads this any more because the whole thing is a mess, honestly.",
    ]
    article = clean_pasted(paste(HEADLINE, *STORY, *thread))
    assert article.paragraphs == STORY


def test_a_most_commented_list_with_counts_is_not_the_story():
    counted = [
        f"Council leaders promise to look again at the budget for libraries in ward {n} ({100 + n})" for n in range(6)
    ]
    article = clean_pasted(paste(HEADLINE, *STORY, "Most commented", *counted))
    assert article.paragraphs == STORY


def test_title_case_headlines_glued_to_their_summaries_are_a_list_not_the_story():
    glued = [
        "Customers Leave Without Paying Bill At Troy SteakhouseA party of six left the restaurant without paying.",
        "Mayor Says Move For Health Benefits Won't StandThe mayor says the move was despicable and will not stand.",
    ]
    article = clean_pasted(paste(HEADLINE, *STORY, *glued))
    assert article.paragraphs == STORY


def test_a_story_sentence_with_a_capital_inside_a_name_stays():
    sentence = "New York Police Commissioner DeBlasio said the force would publish its figures every month."
    article = clean_pasted(paste(*STORY[:2], sentence, *STORY[2:]))
    assert sentence in article.paragraphs


@pytest.mark.parametrize("heading", ["You may also like", "Você pode gostar...", "Lesen Sie auch"])
def test_recommendations_after_the_story_end_it(heading):
    recommended = "A long recommended story about something else entirely, which the site would like you to read next."
    article = clean_pasted(paste(HEADLINE, *STORY, heading, recommended, recommended.replace("long", "short")))
    assert article.paragraphs == STORY


def test_a_recommendations_box_near_the_top_of_the_story_does_not_end_it():
    article = clean_pasted(paste(HEADLINE, STORY[0], "Most read", "Storm warning for the north-west", *STORY[1:]))
    assert article.paragraphs == STORY


def clipboard(*blocks: str) -> str:
    """Chromium's text/html for a copy: a charset declaration, then the copied elements."""
    return "<meta charset='utf-8'>" + "".join(blocks)


def test_a_copied_selection_inside_elements_the_parser_does_not_know_keeps_its_text():
    article = clean_pasted(clipboard("<section class='story'>", *(f"<p>{s}</p>" for s in STORY), "</section>"))
    assert article.paragraphs == STORY


def test_a_copied_selection_keeps_its_subheadings():
    html = clipboard(f"<h1>{HEADLINE}</h1>", f"<p>{STORY[0]}</p><p>{STORY[1]}</p>", "<h2>What happens next</h2>")
    article = clean_pasted(html + "".join(f"<p>{s}</p>" for s in STORY[2:]))
    assert article.title == HEADLINE
    assert "<h2>What happens next</h2>" in article.html


def test_a_whole_page_copied_as_html_keeps_only_the_story():
    menu = "<ul>" + "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(30)) + "</ul>"
    others = "<div>" + "".join(
        f"<p><a href='/o/{n}'>Another story number {n} about the town</a></p>" for n in range(12)
    )
    story = "".join(f"<p>{s} {s}</p>" for s in STORY)
    article = clean_pasted(clipboard(menu, f"<div><h1>{HEADLINE}</h1>{story}</div>", others + "</div>"))
    assert "Section 3" not in article.text and "Another story" not in article.text
    assert STORY[0] in article.text and STORY[-1] in article.text


def test_a_short_story_below_its_byline_wins_over_longer_prose_elsewhere_on_the_page():
    teasers = []
    for n in range(6):
        teasers += [f"Another headline number {n} about the town", "By STAFF", "11/20/2019 01:14 PM"]
    footer = (
        "Our customer service centre can be contacted with any questions or requests by telephone, by post "
        "or in person at the front desk of our offices, every weekday from nine in the morning until five, "
        "and on Saturdays from ten until one, except on public holidays and the days between them."
    )
    page = paste("Menu", HEADLINE, "By Jane Doe", "November 20, 2019 10:43", *STORY[:2], *teasers, footer)
    article = clean_pasted(page)
    assert article.paragraphs == STORY[:2]


def test_more_from_the_site_after_the_story_ends_it_but_a_subheading_does_not():
    teaser = "A long recommended story about something else entirely, which the site would like you to read next."
    article = clean_pasted(paste(HEADLINE, *STORY, "More Harbour Gazette", teaser, teaser.replace("long", "short")))
    assert article.paragraphs == STORY
    kept = clean_pasted(paste(HEADLINE, *STORY[:3], "More to come", STORY[3]))
    assert kept.paragraphs == [*STORY[:3], "More to come", STORY[3]]


def test_headlines_of_other_stories_as_long_as_a_sentence_do_not_make_the_story_longer():
    others = [
        f"Minister faces questions over the hospital contract handed to a donor's firm, part {n}" for n in range(6)
    ]
    article = clean_pasted(paste(HEADLINE, *STORY, "Most read in Politics", *others))
    assert article.paragraphs == STORY


def test_a_call_to_click_is_chrome():
    article = clean_pasted(paste(*STORY[:2], "GET THE NEWS ON THE GO BY CLICKING HERE", *STORY[2:]))
    assert article.paragraphs == STORY
