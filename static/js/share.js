// Adds a "Copy link" button to an article's share links, where the browser
// offers the Web Share API or the clipboard. Without JavaScript the plain
// links are there and no button is.
(function () {
  "use strict";
  var nav = document.querySelector(".share[data-share-url]");
  if (!nav || !(navigator.share || (navigator.clipboard && navigator.clipboard.writeText))) {
    return;
  }
  var url = nav.getAttribute("data-share-url");
  var title = nav.getAttribute("data-share-title");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "share-copy";
  button.textContent = navigator.share ? "Share…" : "Copy link";
  var status = document.createElement("span");
  status.className = "share-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: title, url: url }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(url).then(
      function () { status.textContent = "Link copied."; },
      function () { status.textContent = "Could not copy the link."; }
    );
  });
  nav.appendChild(button);
  nav.appendChild(status);
})();
