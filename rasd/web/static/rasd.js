// rasd web UI: the only script. "/" focuses the search box (as on most news and search sites).
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.getElementById("q") || document.getElementById("search-box");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
