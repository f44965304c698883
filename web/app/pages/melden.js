// Placeholder until the page is built; see web/CONTRACT.md.
export async function render(root) {
  root.textContent = 'Deze pagina is nog in aanbouw.';
}
