/*
 * Dutch for Sparnatural's own interface words (issue 16). Load before sparnatural.js.
 *
 * Why this way: Sparnatural has no public way to add an interface language. Its `lang`
 * attribute chooses the language of the configuration's labels (ours carry nl and en) and
 * of the value lists, but its interface words come from lang/en.json and lang/fr.json only:
 * SparnaturalComponent#initLang calls I18n.init("fr") for "fr" and I18n.init("en") for any
 * other language, and the browser bundle exposes neither I18n nor its word tables (its
 * webpack build sets no library export; `customization` covers data providers and widget
 * settings, not words). That holds for 11.1.1 and still for 12.x and 13.0 beta.
 *
 * So, the smallest override: the bundle reads each word table with JSON.parse as it loads;
 * for a Dutch page this script wraps JSON.parse while the bundle loads and writes the Dutch
 * words into the English table (the one Sparnatural then uses for "nl"). Nothing else is
 * touched, and explore.js puts JSON.parse back (restore()) once the bundle has loaded.
 * FOR_SPARNATURAL names the version the words were written against: tests/test_explore_i18n.py
 * fails when the installed Sparnatural differs, or when its English table gains, loses or
 * renames a word, and the browser test checks that exactly one table was translated.
 */
(function () {
  "use strict";

  var NL = {
    "Where": "Waar",
    "Find": "Zoek",
    "Select": "Kies",
    "And": "En",
    "That": "waarbij...",
    "Search": "Zoeken",
    "Submit.tooltip": "Zoekopdracht uitvoeren",
    "Reset.tooltip": "Zoekopdracht wissen",
    "PlaceHolderDatePeriod": "naam van de periode",
    "TimeWidgetDateFrom": "van",
    "TimeWidgetDateTo": "tot",
    "TimeWidgetPlaceHolderDate": "dd-mm-jjjj",
    "TimeWidgetYearFormat": "jjjj",
    "TimeWidgetDateFormat": "dd-mm-jjjj",
    "TimeWidgetDateHelp": "Geef een begin- en einddatum (bijv. van 01-05-1900 tot 15-05-1900), alleen een begindatum of alleen een einddatum.<br/>Je kunt ook alleen jaren opgeven (bijv. van 1900 tot 1910).",
    "TimeWidgetYearHelp": "Geef een begin- en eindjaar (bijv. van 1900 tot 1920), alleen een beginjaar of alleen een eindjaar. Voor één jaar: hetzelfde jaar als begin en einde.",
    "PlaceholderTimeDateFormat": "JJJJ",
    "PlaceholderTimeDateDayFormat": "dd-mm-jjjj",
    "LangCodeTimeDate": "nl-NL",
    "LabelDateFrom": "van",
    "LabelDateTo": "tot",
    "DisplayValueDateFrom": "Van",
    "DisplayValueDateTo": "Tot",
    "ButtonAdd": "Toevoegen",
    "ListWidgetSelectValue": "Kies een waarde...",
    "ListWidgetNoItem": "... Geen waarden gevonden",
    "StartClassTemporaryLabel": "Zoek naar",
    "ObjectPropertyTemporaryLabel": "verbonden met",
    "labelOptionOptional": "Optioneel",
    "labelOptionNotExists": "Bestaat niet",
    "labelOrderSort": "Sorteren",
    "SelectAllValues": "Alle",
    "Or": "of",
    "Range": "tussen",
    "SwitchVariablesNames": "Kolomnamen tonen",
    "true": "Ja",
    "false": "Nee",
    "TreeWidgetNoData": "Geen gegevens gevonden...",
    "TreeWidgetDelete": "Keuze wissen",
    "TreeWidgetSelect": "Kiezen",
    "MapWidgetOpenMap": "Kaart openen",
    "MapWidgetCloseMap": "Kaart sluiten",
    "MapWidgetValidate": "Zoekgebied bevestigen",
    "MapWidgetAreaSelected": "Gebied gekozen",
    "AutocompleteSpinner_3Chars": "typ minstens 3 tekens",
    "AutocompleteSpinner_Searching": "zoeken...",
    "AutocompleteSpinner_NoResults": "geen resultaten",
    "VirtuosoSearchHelp": "Typ woorden die het veld moet bevatten, zonder aanhalingstekens. Een woord dat eindigt op * (minstens 4 tekens) vindt alle woorden die zo beginnen.",
    "NumberLabelBetween": "tussen",
    "NumberLabelAnd": "en",
    "NumberLabelHigherThan": "groter dan",
    "NumberLabelLowerThan": "kleiner dan",
    "AggrLabelNone": "Geen aggregatie",
    "AggrLabelCount": "aantal",
    "AggrLabelGroupConcat": "samenvoegen",
    "AggrLabelMax": "max",
    "AggrLabelMin": "min",
    "AggrLabelSample": "voorbeeld",
    "AggrLabelSum": "som",
    "AggrLabelAvg": "gemiddelde",
    "AggrLabelSeeMore": "Meer tonen",
    "AggrLabelSeeLess": "Minder tonen",
    "Reset": "Wissen"
  };
  var FOR_SPARNATURAL = "11.1.1";
  var ENGLISH_MARK = "Launch the search"; // the English "Submit.tooltip": tells the lists apart

  var script = document.currentScript;
  var lang = script ? script.getAttribute("data-lang") : "en";
  var parse = JSON.parse;
  var translated = 0;

  if (lang === "nl") {
    JSON.parse = function (text, reviver) {
      var value = parse.call(JSON, text, reviver);
      if (value && typeof value === "object" && value["Submit.tooltip"] === ENGLISH_MARK) {
        Object.keys(NL).forEach(function (key) { value[key] = NL[key]; });
        translated += 1;
      }
      return value;
    };
  }

  window.lcgraphExploreI18n = {
    forSparnatural: FOR_SPARNATURAL,
    words: NL,
    restore: function () {
      JSON.parse = parse;
      return translated;
    },
  };
})();
