// Maps of the innovations app, drawn with the Leaflet shipped by django-leaflet (no CDN).
// Everything works without it: coordinates are plain inputs, and lists name every place.
(function () {
  "use strict";
  var DEFAULT_CENTRE = [-5.03, 104.06]; // Liwa, Lampung Barat
  if (!window.L) { return; }

  function baseMap(element, centre, zoom) {
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, zoom);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    }
    return map;
  }

  function readNumber(input) {
    var value = parseFloat(String(input.value || "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  // The profile form: a click writes the two inputs; typing moves the marker.
  document.querySelectorAll("[data-map-picker]").forEach(function (element) {
    var form = element.closest("form");
    var lat = form.querySelector("[data-map-lat]");
    var lng = form.querySelector("[data-map-lng]");
    if (!lat || !lng) { return; }
    var start = readNumber(lat) !== null && readNumber(lng) !== null ? [readNumber(lat), readNumber(lng)] : null;
    var map = baseMap(element, start || DEFAULT_CENTRE, start ? 13 : 9);
    var marker = start ? L.marker(start).addTo(map) : null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    [lat, lng].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = readNumber(lat), b = readNumber(lng);
        if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
          place([a, b]);
          map.setView([a, b], Math.max(map.getZoom(), 12));
        }
      });
    });
  });

  // Showcase maps: markers from the page's json_script data.
  document.querySelectorAll("[data-map-points]").forEach(function (element) {
    var data = document.getElementById("map-points");
    var points = data ? JSON.parse(data.textContent).filter(Boolean) : [];
    var map = baseMap(element, points.length ? [points[0].lat, points[0].lng] : DEFAULT_CENTRE, 10);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = element.getAttribute("data-detail-base")
        ? element.getAttribute("data-detail-base").replace("999999999", point.id) : "#";
      link.textContent = point.name;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createTextNode(" — " + point.unit));
      L.marker([point.lat, point.lng], { title: point.name }).addTo(map).bindPopup(popup);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [20, 20] }); }
  });
})();
