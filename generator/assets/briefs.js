// Small fixes to Material's markup, and the Vega-Lite charts of pages that have them, drawn
// with the libraries the site serves itself.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script.src); // this file is assets/briefs/briefs.js
  var libraries = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];

  function load(name) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = new URL("assets/vendor/" + name, root).href;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + name)); };
      document.head.appendChild(tag);
    });
  }

  function darkScheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function draw(charts) {
    var loader = window.vega.loader({ baseURL: root.href });
    charts.forEach(function (element) {
      var spec = new URL("data/charts/" + element.dataset.spec + ".vl.json", root).href;
      fetch(spec)
        .then(function (response) { return response.json(); })
        .then(function (json) {
          var options = { renderer: "svg", actions: false, loader: loader };
          if (darkScheme()) options.theme = "dark";
          return window.vegaEmbed(element, json, options);
        })
        .then(function () { element.dataset.rendered = "true"; })
        .catch(function (error) { element.textContent = "The chart could not be drawn: " + error.message; });
    });
  }

  function nameSearchDialog() {
    // Material's search dialog has no accessible name (axe: aria-dialog-name).
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function linkIndexFilesWhenOpenedLocally() {
    // Opened from disk (file://), a folder URL shows a listing: point links at its index.html.
    if (window.location.protocol !== "file:") return;
    document.querySelectorAll("a[href]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      if (url.protocol === "file:" && url.pathname.endsWith("/")) {
        url.pathname += "index.html";
        link.href = url.href;
      }
    });
  }

  function headPrintedPages() {
    // On paper a page says where it came from and when it was printed (shown only in print).
    var article = document.querySelector(".md-content__inner");
    if (!article) return;
    var header = document.createElement("p");
    header.className = "print-header";
    var canonical = document.querySelector("link[rel='canonical']");
    var site = document.querySelector(".md-header__topic .md-ellipsis");
    var stamp = function () {
      var date = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
      header.textContent = [site ? site.textContent.trim() : "", canonical ? canonical.href : window.location.href,
                            "printed " + date].filter(Boolean).join(" \u00b7 ");
    };
    stamp();
    article.insertBefore(header, article.firstChild);
    window.addEventListener("beforeprint", stamp);
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameSearchDialog();
    linkIndexFilesWhenOpenedLocally();
    headPrintedPages();
    var charts = Array.prototype.slice.call(document.querySelectorAll(".briefs-chart"));
    if (charts.length === 0) return;
    libraries.reduce(function (chain, name) {
      return chain.then(function () { return load(name); });
    }, Promise.resolve()).then(function () {
      draw(charts);
      // The reader's toggle switches the scheme: the charts follow it.
      new MutationObserver(function () { draw(charts); })
        .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    });
  });
})();
