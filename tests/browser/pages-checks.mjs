// Checks the page tests share (not a test file itself).
import assert from 'node:assert/strict';

// WCAG 2.1 "labels or instructions": every visible form control on the
// page has a label (a <label for>, a wrapping label or aria-label[ledby]).
// Returns the number of controls checked.
export async function assertEveryFieldLabelled(page) {
  const unlabelled = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('#main input, #main select, #main textarea')) {
      if (el.type === 'hidden') continue;
      const named = (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim())) ||
        (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby');
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  assert.deepEqual(unlabelled, [], 'form controls without a label');
  return page.locator('#main input, #main select, #main textarea').count();
}
