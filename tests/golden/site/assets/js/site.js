/* The site's only script: "Exit this page" and the postcode finder.
 * Every page works without it. It sends nothing anywhere: the postcode table
 * is a file of this site (postcodes/districts.js), loaded by the pages that
 * have the postcode box. */
(function () {
  "use strict";

  /* Exit this page, after the GOV.UK Design System component: the button, or
   * Shift pressed three times with no more than 5 seconds between presses.
   * The page is blanked first, then replaced by the neutral exit page. */
  var TIMEOUT = 5000;

  function ExitThisPage(module) {
    this.button = module.querySelector(".exit-this-page__button");
    this.count = 0;
    this.lastKeyWasModified = false;
    this.keyTimer = null;
    this.messageTimer = null;
    this.overlay = null;
    this.status = document.createElement("span");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    module.appendChild(this.status);
    this.indicator = document.createElement("span");
    this.indicator.className = "exit-this-page__indicator";
    this.indicator.setAttribute("aria-hidden", "true");
    for (var i = 0; i < 3; i++) {
      var light = document.createElement("span");
      light.className = "exit-this-page__light";
      this.indicator.appendChild(light);
    }
    this.button.appendChild(this.indicator);
    this.button.addEventListener("click", this.onClick.bind(this));
    document.addEventListener("keyup", this.onKeyUp.bind(this), true);
    window.addEventListener("pageshow", this.reset.bind(this));
  }

  ExitThisPage.prototype.onClick = function (event) {
    event.preventDefault();
    this.exit();
  };

  ExitThisPage.prototype.exit = function () {
    this.status.textContent = "";
    // Hide everything (also from screen readers and the Tab key), then say so.
    document.body.classList.add("exit-this-page-hide-content");
    this.overlay = document.createElement("div");
    this.overlay.className = "exit-this-page-overlay";
    this.overlay.setAttribute("role", "alert");
    document.body.appendChild(this.overlay);
    this.overlay.textContent = "Loading.";
    window.location.replace(this.button.href);
  };

  ExitThisPage.prototype.onKeyUp = function (event) {
    // Shift on its own counts; Shift used for a capital letter does not: the
    // letter's keyup (shiftKey true) comes just before Shift's own keyup.
    var isShift = event.key === "Shift" || event.keyCode === 16;
    if (isShift && !this.lastKeyWasModified) {
      this.count += 1;
      this.showCount();
      window.clearTimeout(this.messageTimer);
      if (this.count >= 3) {
        this.count = 0;
        window.clearTimeout(this.keyTimer);
        this.exit();
      } else {
        this.status.textContent = this.count === 1 ?
          "Shift, press 2 more times to exit." : "Shift, press 1 more time to exit.";
        window.clearTimeout(this.keyTimer);
        this.keyTimer = window.setTimeout(this.expire.bind(this), TIMEOUT);
      }
    } else if (this.count > 0) {
      this.expire();
    }
    this.lastKeyWasModified = event.shiftKey;
  };

  ExitThisPage.prototype.expire = function () {
    var status = this.status;
    window.clearTimeout(this.keyTimer);
    this.count = 0;
    this.showCount();
    status.textContent = "Exit this page expired.";
    this.messageTimer = window.setTimeout(function () { status.textContent = ""; }, TIMEOUT);
  };

  ExitThisPage.prototype.showCount = function () {
    var lights = this.indicator.children;
    this.indicator.classList.toggle("is-visible", this.count > 0);
    for (var i = 0; i < lights.length; i++) {
      lights[i].classList.toggle("is-on", i < this.count);
    }
  };

  // Coming back with the Back button can restore the blanked page: undo it.
  ExitThisPage.prototype.reset = function () {
    document.body.classList.remove("exit-this-page-hide-content");
    if (this.overlay) {
      this.overlay.remove();
      this.overlay = null;
    }
    window.clearTimeout(this.keyTimer);
    window.clearTimeout(this.messageTimer);
    this.count = 0;
    this.showCount();
    this.status.textContent = "";
  };

  /* Find by postcode. Accepts a full postcode or its first part (the
   * outward code) in any case and spacing: "ha1 2ab", "HA12AB", "ha1". */
  var OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
  var FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;

  // The outward code, "" for nothing typed, or null when it is not a postcode.
  function outwardCode(text) {
    var words = text.toUpperCase().replace(/[^A-Z0-9]+/g, " ").trim().split(" ");
    if (words[0] === "") {
      return "";
    }
    if (words.length === 2 && OUTWARD.test(words[0]) && /^[0-9][A-Z]{0,2}$/.test(words[1])) {
      return words[0];
    }
    var compact = words.join("");
    var full = FULL.exec(compact);
    if (full) {
      return full[1];
    }
    return OUTWARD.test(compact) ? compact : null;
  }

  // The ids of the boroughs a district lies in. "EC1" is not a district of
  // its own: it stands for EC1A, EC1M, EC1N... so their boroughs are offered.
  function boroughsFor(code, table) {
    var exact = table.districts[code];
    if (exact) {
      return exact.slice();
    }
    var found = [];
    if (/[0-9]$/.test(code)) {
      Object.keys(table.districts).forEach(function (district) {
        if (district.length === code.length + 1 && district.indexOf(code) === 0) {
          table.districts[district].forEach(function (id) {
            if (found.indexOf(id) < 0) {
              found.push(id);
            }
          });
        }
      });
    }
    return found.sort(function (a, b) {
      return table.names[a].localeCompare(table.names[b]);
    });
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function PostcodeForm(form) {
    this.form = form;
    this.input = form.querySelector("input");
    this.result = form.querySelector("[data-postcode-result]");
    this.help = form.querySelector("template[data-postcode-help]");
    this.hintId = this.input.getAttribute("aria-describedby");
    form.addEventListener("submit", this.onSubmit.bind(this));
  }

  PostcodeForm.prototype.onSubmit = function (event) {
    if (!window.liaisonPostcodes) {
      return; // the table did not load: go to the postcode districts page
    }
    event.preventDefault();
    this.answer(this.input.value);
  };

  PostcodeForm.prototype.boroughUrl = function (id) {
    return new URL("../boroughs/" + id + "/", this.form.action).href;
  };

  PostcodeForm.prototype.answer = function (text) {
    var table = window.liaisonPostcodes;
    var code = outwardCode(text);
    this.clear();
    if (code === "") {
      this.error("Enter a postcode, like HA1 2AB.");
    } else if (code === null) {
      this.error("Enter a real postcode, like HA1 2AB, or its first part, like HA1.");
    } else {
      var ids = boroughsFor(code, table);
      if (ids.length === 1) {
        this.go(code, ids[0], table.names[ids[0]]);
      } else if (ids.length > 1) {
        this.choose(code, ids, table);
      } else {
        this.say("We could not find " + code + " in this directory. It may be outside the areas it covers, or mistyped.");
        this.addHelp();
      }
    }
  };

  PostcodeForm.prototype.clear = function () {
    this.form.classList.remove("postcode-form--error");
    this.input.removeAttribute("aria-invalid");
    this.input.setAttribute("aria-describedby", this.hintId);
    while (this.result.firstChild) {
      this.result.removeChild(this.result.firstChild);
    }
  };

  PostcodeForm.prototype.say = function (text, className) {
    var message = element("p", text, className || "postcode-result__message");
    this.result.appendChild(message);
    return message;
  };

  PostcodeForm.prototype.addHelp = function () {
    if (this.help) {
      this.result.appendChild(this.help.content.cloneNode(true));
    }
  };

  PostcodeForm.prototype.error = function (text) {
    var message = this.say("", "postcode-result__error");
    message.appendChild(element("span", "Error: ", "visually-hidden"));
    message.appendChild(document.createTextNode(text));
    this.addHelp();
    this.form.classList.add("postcode-form--error");
    this.input.setAttribute("aria-invalid", "true");
    this.input.setAttribute("aria-describedby", this.hintId + " " + this.result.id);
  };

  PostcodeForm.prototype.go = function (code, id, name) {
    var url = this.boroughUrl(id);
    var message = this.say(code + " is in " + name + ". Opening ");
    var link = element("a", "the " + name + " page");
    link.href = url;
    message.appendChild(link);
    message.appendChild(document.createTextNode("."));
    window.location.assign(url);
  };

  PostcodeForm.prototype.choose = function (code, ids, table) {
    this.say(code + " covers more than one area. Choose the one where you live, or where it happened:");
    var list = element("ul", "", "postcode-result__choices");
    ids.forEach(function (id) {
      var item = element("li");
      var link = element("a", table.names[id]);
      link.href = this.boroughUrl(id);
      item.appendChild(link);
      list.appendChild(item);
    }, this);
    this.result.appendChild(list);
    this.addHelp();
  };

  function start() {
    var exitModule = document.querySelector("[data-exit-this-page]");
    if (exitModule && exitModule.querySelector(".exit-this-page__button")) {
      new ExitThisPage(exitModule);
    }
    var forms = document.querySelectorAll("form[data-postcode-form]");
    for (var i = 0; i < forms.length; i++) {
      new PostcodeForm(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
