// The search worker: answers Material for MkDocs' search box from the site's own index
// (generator/search.py writes it under search/). It speaks Material's worker protocol (SETUP,
// READY, QUERY, RESULT) and fetches only the shards of a query's words and the chunks of the
// documents it shows, so what a reader downloads does not grow with the number of records.
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3; // Material's SearchMessageType
var SHOWN = 50;                     // results returned: each needs its document's chunk
var NAME_BASE = 8, NAME_WHOLE = 8;  // a word of a name: more the fewer words the name has
var SUMMARY = 4, TEXT = 1;          // a word of the summary ranks above a mention in the text
var WHOLE_NAME = 1000, NAME_START = 500; // the query is a name, or the start of one
var PARTIAL = 0.5;                  // a word that only starts a term counts half
var OTHER_PAGE = 0.5;               // a source or a page ranks below a record that matches alike
var WORD = /[\p{L}\p{N}]+/gu;

var root = new URL("../../search/", self.location.href); // this file is assets/briefs/search.js
var cache = new Map();
var manifest = null; // search/manifest.json, once loaded
var latest = 0;

function load(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(new URL(path, root)).then(function (response) {
      if (!response.ok) throw new Error("search: " + path + " answered " + response.status);
      return response.json();
    }).catch(function (error) { cache.delete(path); throw error; }));
  }
  return cache.get(path);
}

function loadManifest() {
  return load("manifest.json").then(function (data) { manifest = data; });
}

// As generator/search.py's tokens(): no accents, lower case, letters and digits only.
function words(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().match(WORD) || [];
}

function shardFile(key) {
  if (/^[\x00-\x7f]*$/.test(key)) return key;
  return "_" + Array.from(new TextEncoder().encode(key), function (b) {
    return b.toString(16).padStart(2, "0");
  }).join("");
}

// A word the reader may still be typing (the last one) or a long one matches the terms it
// starts, others only themselves: "K" of "IS-K" must not match every term beginning with k.
function parse(query) {
  var list = words(query);
  var open = /[\p{L}\p{N}]$/u.test(query);
  return list.map(function (word, i) {
    return { word: word, prefix: word.length >= 3 || (open && i === list.length - 1 && word.length >= 2) };
  });
}

function shardsFor(term) {
  var owner = "";
  manifest.shards.forEach(function (key) {
    if (term.word.startsWith(key) && key.length > owner.length) owner = key;
  });
  var keys = owner ? [owner] : [];
  if (term.prefix) {
    manifest.shards.forEach(function (key) {
      if (key.length > owner.length && key.startsWith(term.word)) keys.push(key);
    });
  }
  return keys.map(function (key) { return "terms/" + shardFile(key) + ".json"; });
}

// Document number → score of one query word, over every term it matches.
function scoreWord(term, shards) {
  var scores = new Map();
  function add(number, score, found) {
    var best = scores.get(number);
    if (!best || score > best.score) scores.set(number, { score: score, term: found });
  }
  shards.forEach(function (shard) {
    Object.keys(shard.terms).forEach(function (found) {
      if (found !== term.word && !(term.prefix && found.startsWith(term.word))) return;
      var weight = found === term.word ? 1 : PARTIAL;
      var fields = shard.terms[found];
      for (var i = 0; i < fields[0].length; i += 2)
        add(fields[0][i], weight * (NAME_BASE + NAME_WHOLE / fields[0][i + 1]), found);
      fields[1].forEach(function (number) { add(number, weight * SUMMARY, found); });
      fields[2].forEach(function (number) { add(number, weight * TEXT, found); });
    });
  });
  return scores;
}

// Document number → bonus when the whole query is one of its names, or the start of one.
function scoreNames(terms, shards, open) {
  var phrase = terms.map(function (term) { return term.word; }).join(" ");
  var bonus = new Map();
  shards.forEach(function (shard) {
    Object.keys(shard.phrases).forEach(function (name) {
      var score = name === phrase ? WHOLE_NAME
        : name.startsWith(phrase + " ") || (open && name.startsWith(phrase)) ? NAME_START : 0;
      if (score) shard.phrases[name].forEach(function (number) {
        bonus.set(number, Math.max(bonus.get(number) || 0, score));
      });
    });
  });
  return bonus;
}

function rank(terms, shardsByWord, open) {
  var perWord = terms.map(function (term, i) { return scoreWord(term, shardsByWord[i]); });
  var names = scoreNames(terms, shardsByWord[0], open);
  var pages = new Set(manifest.pages);
  var ranked = [];
  perWord[0].forEach(function (first, number) {
    var score = 0;
    for (var i = 0; i < perWord.length; i++) {
      var found = perWord[i].get(number);
      if (!found) return; // every word must match
      score += found.score;
    }
    score += names.get(number) || 0;
    if (pages.has(number)) score *= OTHER_PAGE;
    ranked.push({ number: number, score: score, last: perWord[perWord.length - 1].get(number).term });
  });
  return ranked.sort(function (a, b) { return b.score - a.score || a.number - b.number; });
}

function escapeHTML(text) {
  return text.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
}

// Escaped text with the words that match the query in <mark>, as Material's own results.
function highlight(text, terms) {
  var out = "", at = 0, match, word = /[\p{L}\p{N}]+/gu;
  while ((match = word.exec(text)) !== null) {
    var hit = words(match[0]).some(function (found) {
      return terms.some(function (term) { return found === term.word || (term.prefix && found.startsWith(term.word)); });
    });
    if (!hit) continue;
    out += escapeHTML(text.slice(at, match.index)) + "<mark>" + escapeHTML(match[0]) + "</mark>";
    at = match.index + match[0].length;
  }
  return out + escapeHTML(text.slice(at));
}

// Material shows a result as a page with its matching sections: places on one page (the works
// on the Sources page) come together under that page, at the rank of the best of them.
function group(results) {
  var groups = new Map();
  results.forEach(function (result) {
    var page = result.location.split("#")[0];
    var key = result.page ? page : result.location;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(result);
  });
  return Array.from(groups.values(), function (items) {
    var first = items[0];
    if (!first.page) return items;
    return items.concat([{ location: first.location.split("#")[0], title: escapeHTML(first.page), text: "",
                           score: 0, terms: first.terms }]);
  });
}

function search(query) {
  var terms = parse(query);
  if (!terms.length) return Promise.resolve({ items: [] });
  var open = /[\p{L}\p{N}]$/u.test(query);
  return loadManifest().then(function () {
    return Promise.all(terms.map(function (term) { return Promise.all(shardsFor(term).map(load)); }));
  }).then(function (shardsByWord) {
    var best = rank(terms, shardsByWord, open).slice(0, SHOWN);
    var chunks = Array.from(new Set(best.map(function (hit) { return Math.floor(hit.number / manifest.chunk); })));
    return Promise.all(chunks.map(function (chunk) { return load("docs/" + chunk + ".json"); })).then(function (loaded) {
      var matched = {};
      terms.forEach(function (term) { matched[term.word] = true; });
      var items = group(best.map(function (hit) {
        var doc = loaded[chunks.indexOf(Math.floor(hit.number / manifest.chunk))][hit.number % manifest.chunk];
        return { location: doc[0], title: highlight(doc[1], terms), text: highlight(doc[3], terms),
                 tags: [doc[2]], score: hit.score, terms: matched, page: doc[4] };
      }));
      return { items: items, suggest: best.length ? [best[0].last] : [] };
    });
  });
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    loadManifest().catch(console.warn); // while the page loads: the first query waits less
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var mine = ++latest;
    search(message.data).catch(function (error) {
      console.warn(error);
      return { items: [] };
    }).then(function (result) {
      if (mine === latest) postMessage({ type: RESULT, data: result }); // a later query supersedes it
    });
  }
});
