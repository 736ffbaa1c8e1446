/*
 * Farol's GraphiQL page. The API key lives in sessionStorage (this tab only) and goes out as
 * `Authorization: Bearer`; GraphiQL is remounted when it changes so the schema is fetched again
 * with the new key. React, ReactDOM and GraphiQL are the UMD globals loaded before this file.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'farol.apiKey';
  var endpoint = document.body.getAttribute('data-endpoint') || '/graphql';
  var form = document.getElementById('farol-key');
  var input = document.getElementById('farol-api-key');
  var forget = document.getElementById('farol-forget-key');
  var status = document.getElementById('farol-key-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var mounts = 0;

  var DEFAULT_QUERY = [
    '# Paste an API key above, then run this (Ctrl-Enter).',
    'query Revenue {',
    '  metrics(query: {',
    '    measures: ["sales.revenue", "sales.orders"]',
    '    dimensions: ["sales.channel"]',
    '    limit: 100',
    '  }) {',
    '    rows',
    '  }',
    '}',
    '',
  ].join('\n');

  function readKey() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) || '';
    } catch {
      return '';
    }
  }

  function writeKey(key) {
    try {
      if (key) window.sessionStorage.setItem(STORAGE_KEY, key);
      else window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage may be off (private mode); the key then lasts until the page reloads.
    }
  }

  function fetcherFor(key) {
    return function (params) {
      var headers = { 'content-type': 'application/json', accept: 'application/json' };
      if (key) headers.authorization = 'Bearer ' + key;
      return window
        .fetch(endpoint, { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
        .then(function (res) {
          return res.json();
        });
    };
  }

  function render(key) {
    status.textContent = key ? 'key in use for this tab' : 'no key: requests will get 401';
    mounts += 1;
    root.render(
      React.createElement(GraphiQL, {
        key: 'graphiql-' + mounts,
        fetcher: fetcherFor(key),
        defaultQuery: DEFAULT_QUERY,
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: false,
      }),
    );
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var key = input.value.trim();
    input.value = '';
    writeKey(key);
    render(key);
  });

  forget.addEventListener('click', function () {
    input.value = '';
    writeKey('');
    render('');
  });

  render(readKey());
})();
