// Small fixes to Material's markup, and the charts of pages that have them (Vega-Lite for the
// attacks, Vega for the relationship maps), drawn with the libraries the site serves itself.
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

  // On a touch screen a tap shows a mark's details, as hovering does with a mouse: links on marks
  // would open the page at the first tap instead, so there the table and the lists carry them.
  var touch = window.matchMedia("(hover: none)").matches;

  function withoutLinks(node) {
    if (Array.isArray(node)) return node.map(withoutLinks);
    if (!node || typeof node !== "object") return node;
    var copy = {};
    Object.keys(node).forEach(function (key) {
      if (key !== "href") copy[key] = withoutLinks(node[key]);
    });
    return copy;
  }

  function prepared(element, spec) {
    if (touch) spec = withoutLinks(spec);
    if (!spec.$schema || spec.$schema.indexOf("vega-lite") === -1) {
      // A Vega network takes the width of its place on the page, and on a narrow screen more
      // height, so its names have room; they follow the colour scheme.
      spec.width = Math.max(280, element.clientWidth);
      if (spec.width < 500) spec.height = Math.round(spec.height * 1.4);
      (spec.signals || []).forEach(function (signal) {
        if (signal.name === "textColor" && darkScheme()) signal.value = "#e8e8ee";
      });
    }
    return spec;
  }

  function draw(charts) {
    var loader = window.vega.loader({ baseURL: root.href });
    charts.forEach(function (element) {
      var minimum = Number(element.dataset.minWidth || 0);
      if (element.clientWidth < minimum) {
        element.removeAttribute("role");
        element.textContent = "The full map needs a wider screen; each actor's page shows its own network.";
        return;
      }
      var spec = new URL("data/charts/" + element.dataset.spec, root).href;
      fetch(spec)
        .then(function (response) { return response.json(); })
        .then(function (json) {
          var options = { renderer: "svg", actions: false, loader: loader };
          if (darkScheme()) options.theme = "dark";
          return window.vegaEmbed(element, prepared(element, json), options);
        })
        .then(function (result) {
          element.briefsView = result.view; // for the browser tests: the drawn scenegraph and scales
          if (touch) showDetailsOnTap(element, result.view);
          element.dataset.rendered = "true";
        })
        .catch(function (error) { element.textContent = "The chart could not be drawn: " + error.message; });
    });
  }

  function pageOf(item) {
    var datum = item.datum || {};
    return datum.url || (datum.datum && datum.datum.url) || null;
  }

  function showDetailsOnTap(element, view) {
    // A tap on a mark shows what hovering shows, and a link to the page it stands for.
    var card = document.createElement("div");
    card.className = "briefs-tap md-typeset";
    card.hidden = true;
    element.appendChild(card);
    view.addEventListener("click", function (event, item) {
      var details = item && item.tooltip;
      if (!details) { card.hidden = true; return; }
      card.textContent = "";
      var rows = typeof details === "object" ? Object.keys(details).map(function (key) {
        return [key, details[key]];
      }) : [["", details]];
      rows.forEach(function (row) {
        var line = document.createElement("p");
        if (row[0]) {
          var name = document.createElement("strong");
          name.textContent = row[0] + ": ";
          line.appendChild(name);
        }
        line.appendChild(document.createTextNode(String(row[1])));
        card.appendChild(line);
      });
      var url = pageOf(item);
      if (url) {
        var link = document.createElement("a");
        link.href = new URL(url, root).href;
        link.textContent = "Open its page";
        card.appendChild(link);
      }
      var box = element.getBoundingClientRect();
      card.style.left = Math.max(0, Math.min(event.clientX - box.left - 20, box.width - 260)) + "px";
      card.style.top = (event.clientY - box.top + 16) + "px";
      card.hidden = false;
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
