// Newsroom enhancements. Every page works without this file.
//
// The slug field shows, as its placeholder, the slug the server will make
// from the headline when the field is left empty.
(function () {
  "use strict";
  var headline = document.getElementById("admin-headline");
  var slug = document.getElementById("admin-slug");
  if (!headline || !slug) {
    return;
  }
  function suggest(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f\u0591-\u05c7\u064b-\u0652]/g, "")
      .normalize("NFC")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
      .replace(/^-+|-+$/g, "");
  }
  function update() {
    slug.placeholder = suggest(headline.value);
  }
  headline.addEventListener("input", update);
  update();
})();
