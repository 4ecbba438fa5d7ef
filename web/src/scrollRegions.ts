/**
 * A table wider than its place scrolls inside its own box (styles.css). A keyboard user must be able
 * to reach that box to scroll it (WCAG 2.1.1; axe: scrollable-region-focusable): every table box
 * that scrolls sideways is made focusable, and stops being so when it no longer scrolls.
 */
const BOXES = '.ant-table-content, .ant-table-body';

function update() {
  for (const box of document.querySelectorAll<HTMLElement>(BOXES)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute('tabindex')) box.tabIndex = 0;
    else if (!scrolls && box.getAttribute('tabindex') === '0') box.removeAttribute('tabindex');
  }
}

export function keepScrollingTablesFocusable() {
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      update();
    });
  };
  new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  window.addEventListener('resize', schedule);
}
