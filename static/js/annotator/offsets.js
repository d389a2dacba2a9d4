// Browser selections ↔ offsets in the article's plain text.
//
// The server writes every text node of the article as <span data-o="N">, N being the offset
// (in Unicode code points, as the W3C model counts) of its first character in the plain text
// that annotations point into. A selection boundary is the span's N plus the code points
// before the boundary inside that span. Browsers count UTF-16 units, so we convert.

const codePoints = (text) => Array.from(text).length;

function spanOf(node, root) {
  let element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  while (element && element !== root) {
    if (element.dataset && element.dataset.o !== undefined) return element;
    element = element.parentElement;
  }
  return null;
}

// The text node a boundary point stands at: an element boundary (e.g. a selection that ends
// at the start of the next paragraph) moves to the nearest text inside an offset span.
function textPoint(root, node, offset, forward) {
  if (node.nodeType === Node.TEXT_NODE && spanOf(node, root)) return { node, offset };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (spanOf(n, root) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP),
  });
  const probe = document.createRange();
  if (node.nodeType === Node.TEXT_NODE) probe.setStart(node, offset);
  else probe.setStart(node, Math.min(offset, node.childNodes.length));
  let candidate = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const after = probe.comparePoint(n, 0) >= 0;
    if (forward && after) return { node: n, offset: 0 };
    if (!forward && !after) candidate = n;
    if (!forward && after) break;
  }
  return candidate ? { node: candidate, offset: candidate.length } : null;
}

function offsetOf(root, point) {
  const span = spanOf(point.node, root);
  const before = document.createRange();
  before.setStart(span, 0);
  before.setEnd(point.node, point.offset);
  return Number(span.dataset.o) + codePoints(before.toString());
}

// {start, end, exact} for a Range inside `root`, or null if it holds no article text.
export function rangeToOffsets(root, range) {
  if (!range.intersectsNode(root)) return null;
  // A drag or triple-click past the article's edge ends outside it: keep the article's part.
  const clamped = range.cloneRange();
  if (!root.contains(range.startContainer)) clamped.setStart(root, 0);
  if (!root.contains(range.endContainer)) clamped.setEnd(root, root.childNodes.length);
  const first = textPoint(root, clamped.startContainer, clamped.startOffset, true);
  const last = textPoint(root, clamped.endContainer, clamped.endOffset, false);
  if (!first || !last) return null;
  const start = offsetOf(root, first);
  const end = offsetOf(root, last);
  if (end <= start) return null;
  return { start, end, exact: clamped.toString() };
}

// The first highlight element of an annotation, for scrolling to it.
export function markOf(root, id) {
  return root.querySelector(`mark[data-annotations~="${CSS.escape(String(id))}"]`);
}
