"""Sample stories written for the demo workspace (our own text, not any publisher's)."""

STORIES = [
    """<html lang="en"><head><title>Regulator publishes first child safety codes | The Northern Ledger</title>
<meta name="description" content="Platforms popular with children must check users' ages or face fines of up to 10% of turnover.">
<meta name="author" content="Priya Natarajan"><meta property="og:site_name" content="The Northern Ledger">
<meta property="article:published_time" content="2026-04-24T08:00:00Z">
<link rel="canonical" href="https://northern-ledger.example/news/child-safety-codes"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<article><h1>Regulator publishes first child safety codes</h1>
<p>The communications regulator has published its first codes of practice on protecting children online, setting out more than forty measures that platforms must take by the summer.</p>
<p>Sites and apps popular with children will have to check the age of their users with what the regulator calls "highly effective" methods, and tune their recommendation feeds so that harmful material is filtered out.</p>
<h2>Fines of up to 10% of turnover</h2>
<p>Companies that fail to comply face fines of up to 10% of their global turnover. The regulator said it would not hesitate to use its powers.</p>
<blockquote>"This is a reset for children's safety online," the regulator's chief executive said.</blockquote>
<p>Campaigners welcomed the codes but said they did not go far enough on livestreaming and private messaging.</p>
</article>
<aside class="newsletter">Sign up for our morning briefing newsletter</aside>
<div class="support">Your support helps us keep reporting on the issues that matter. Donate today.</div>
<section class="most-popular"><h3>Most popular</h3><ol><li>Local council approves budget</li></ol></section>
</body></html>""",
    """<html lang="en"><head><title>Police say online abuse cases have doubled in five years</title>
<meta name="description" content="Forces warn that specialist units are overstretched as reports of online child abuse climb.">
<meta name="author" content="Tom Okafor"><meta property="og:site_name" content="Coast Evening Post">
<meta property="article:published_time" content="2026-05-12T17:30:00Z"></head>
<body><header><nav><a href="/">Coast Evening Post</a></nav></header>
<main><article><h1>Police say online abuse cases have doubled in five years</h1>
<p>Reports of online child sexual abuse to police forces have doubled in five years, according to figures released on Tuesday, and officers say specialist units cannot keep up.</p>
<p>The national policing lead for child protection said investigators were dealing with more than 800 arrests a month, but that the number of officers trained to examine seized devices had barely changed.</p>
<ul><li>Reports rose from 11,000 to 23,000 a year.</li><li>Three in four cases now involve a social media platform.</li></ul>
<p>The Home Office said it had funded 150 additional specialist officers and would set out further plans in the autumn.</p>
</article></main>
<div class="share">Share this article: Facebook Twitter Email</div>
<div class="comments">Join the conversation: comments are open for 48 hours.</div>
</body></html>""",
    """Platforms told to publish risk assessments

Your support helps us keep reporting on the issues that matter. Donate today.Social media companies will be required to publish summaries of their child-safety risk assessments, ministers announced on Thursday.

The change, added to the online safety rules after pressure from bereaved parents, means researchers and campaigners will be able to see how each platform rates the risks its services pose to children.

A spokesperson for an industry body said members were already "working constructively" with the regulator and would comply.""",
]
