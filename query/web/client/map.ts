// The map page in the browser: an offline base map (country and US state
// outlines, no tile server), job clusters from /v1/map for the view and zoom,
// the view kept in the address so that it can be shared and the back button
// returns to the previous view. Text goes into the page as text nodes only.
import * as L from 'leaflet';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature, mesh } from 'topojson-client';
import type { Viewport } from '../mapState.ts';
import type { Geometry } from 'geojson';
import { MAP_MAX_ZOOM, mapApiUrl, unwrapRing, viewBox, viewportOf, withViewport } from '../mapState.ts';

interface Cluster {
  key: string;
  count: number;
  centroid: { lat: number; lon: number };
  bounds: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}
interface Point {
  jobId: string;
  lat: number;
  lon: number;
  title: string;
}
interface MapAnswer {
  total: number;
  clusters: Cluster[];
  points?: Point[];
  truncated?: boolean;
}
interface JobAnswer {
  title: string;
  city?: string;
  region?: string;
  country?: string;
  remote: boolean;
  pay: { min: number; max: number; currency: string; unit: string };
}

const element = document.getElementById('map');
const statusLine = document.getElementById('map-status');
if (element && statusLine) start(element, statusLine);

function start(el: HTMLElement, status: HTMLElement): void {
  const data = el.dataset;
  const filters = data.filters ?? '';
  const initial: Viewport = viewportOf(location.search) ?? { lat: Number(data.lat), lon: Number(data.lon), zoom: Number(data.zoom) };
  const map = L.map(el, { minZoom: 1, maxZoom: MAP_MAX_ZOOM, worldCopyJump: true, keyboard: true }).setView([initial.lat, initial.lon], initial.zoom);
  map.attributionControl.setPrefix(false).addAttribution('Outlines: Natural Earth, US Census (world-atlas, us-atlas)');
  void drawBaseMap(map, data.countries, data.states);

  const layer = L.layerGroup().addTo(map);
  let inFlight: AbortController | undefined;
  let restoring = false;
  let timer: number | undefined;

  const say = (text: string) => {
    status.textContent = text;
  };

  const refresh = async () => {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    const b = map.getBounds();
    const url = mapApiUrl(filters, viewBox(b.getWest(), b.getSouth(), b.getEast(), b.getNorth()), map.getZoom());
    try {
      const res = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
      if (res.status === 429) return say(`Too many map requests: waiting ${res.headers.get('retry-after') ?? 'a few'} seconds before trying again.`);
      if (!res.ok) return say('The map could not be loaded. Try again in a moment.');
      const answer = (await res.json()) as MapAnswer;
      if (controller.signal.aborted) return;
      draw(map, layer, answer);
      say(`${answer.total.toLocaleString('en')} job${answer.total === 1 ? '' : 's'} in view${answer.truncated ? ' (the busiest areas are shown)' : ''}.`);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') say('The map could not be loaded. Check your connection.');
    }
  };

  const keepInAddress = () => {
    const c = map.getCenter();
    const search = withViewport(location.search, { lat: c.lat, lon: c.lng, zoom: map.getZoom() });
    syncForm(search);
    if (restoring) {
      restoring = false;
      return;
    }
    if (search !== location.search) history.pushState(null, '', `${location.pathname}${search}`);
  };

  map.on('moveend', () => {
    keepInAddress();
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), 120);
  });
  window.addEventListener('popstate', () => {
    const view = viewportOf(location.search);
    if (!view) return;
    restoring = true;
    map.setView([view.lat, view.lon], view.zoom);
  });
  keepInAddress();
  void refresh();
}

/** The form's hidden viewport fields and the list link follow the map, so a new filter keeps the view. */
function syncForm(search: string): void {
  const params = new URLSearchParams(search);
  for (const key of ['lat', 'lon', 'z']) {
    const input = document.querySelector<HTMLInputElement>(`form.search input[name="${key}"]`);
    if (input) input.value = params.get(key) ?? '';
  }
}

async function drawBaseMap(map: L.Map, countriesUrl: string | undefined, statesUrl: string | undefined): Promise<void> {
  if (!countriesUrl || !statesUrl) return;
  const [world, states] = (await Promise.all([countriesUrl, statesUrl].map((u) => fetch(u).then((r) => r.json())))) as [Topology, Topology];
  const countries = feature(world, world.objects.countries as GeometryCollection);
  for (const f of countries.features) unwrap(f.geometry);
  L.geoJSON(countries, { interactive: false, style: { color: '#9aa5b1', weight: 1, fillColor: '#f6f3ec', fillOpacity: 1 } }).addTo(map).bringToBack();
  const stateLines = mesh(states, states.objects.states as GeometryCollection, (a, b) => a !== b);
  unwrap(stateLines);
  L.geoJSON(stateLines, { interactive: false, style: { color: '#b8c0c8', weight: 0.8, fill: false } }).addTo(map);
}

/** Outlines that cross the antimeridian, drawn on past 180 rather than back across the map. */
function unwrap(geometry: Geometry): void {
  switch (geometry.type) {
    case 'Polygon':
      geometry.coordinates = geometry.coordinates.map(unwrapRing);
      break;
    case 'MultiPolygon':
      geometry.coordinates = geometry.coordinates.map((polygon) => polygon.map(unwrapRing));
      break;
    case 'LineString':
      geometry.coordinates = unwrapRing(geometry.coordinates);
      break;
    case 'MultiLineString':
      geometry.coordinates = geometry.coordinates.map(unwrapRing);
      break;
    case 'GeometryCollection':
      geometry.geometries.forEach(unwrap);
      break;
    case 'Point':
    case 'MultiPoint':
      break;
  }
}

function draw(map: L.Map, layer: L.LayerGroup, answer: MapAnswer): void {
  layer.clearLayers();
  if (answer.points) {
    for (const p of answer.points) {
      const marker = L.circleMarker([p.lat, p.lon], { radius: 8, color: '#0b5cad', weight: 2, fillColor: '#ffffff', fillOpacity: 1 });
      marker.bindTooltip(p.title);
      marker.bindPopup(() => jobCard(p), { minWidth: 220 });
      layer.addLayer(marker);
    }
    return;
  }
  const zoom = map.getZoom();
  // Clusters may overlap when zoomed out: the busier one is drawn on top (and takes the click).
  // Leaflet stacks markers by their pixel row; the rank offset outweighs any row on screen.
  const byCount = [...answer.clusters].sort((a, b) => a.count - b.count);
  for (const [rank, c] of byCount.entries()) {
    const label = document.createElement('span');
    label.textContent = c.count >= 10_000 ? `${Math.round(c.count / 1000)}k` : c.count.toLocaleString('en');
    const size = Math.round(28 + Math.min(36, Math.log10(c.count + 1) * 10));
    const icon = L.divIcon({ html: label, className: 'cluster', iconSize: [size, size] });
    const marker = L.marker([c.centroid.lat, c.centroid.lon], { icon, title: `${c.count} jobs here: zoom in`, alt: `${c.count} jobs`, keyboard: true, zIndexOffset: rank * 100_000 });
    marker.on('click', () => {
      const bounds = L.latLngBounds([c.bounds.minLat, c.bounds.minLon], [c.bounds.maxLat, c.bounds.maxLon]);
      const target = Math.min(MAP_MAX_ZOOM, Math.max(zoom + 1, map.getBoundsZoom(bounds)));
      map.setView([c.centroid.lat, c.centroid.lon], target);
    });
    layer.addLayer(marker);
  }
}

/** A point's card: its title and a link at once, place and pay once the job is read. */
function jobCard(p: Point): HTMLElement {
  const card = document.createElement('div');
  card.className = 'map-card';
  const title = document.createElement('a');
  title.href = `/jobs/${encodeURIComponent(p.jobId)}`;
  title.textContent = p.title;
  const details = document.createElement('p');
  details.textContent = '…';
  const open = document.createElement('a');
  open.href = title.href;
  open.textContent = 'Open the job';
  card.append(title, details, open);
  void fetch(`/v1/jobs/${encodeURIComponent(p.jobId)}`, { headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) throw new Error(String(res.status));
      const job = (await res.json()) as JobAnswer;
      const where = job.remote && !job.city ? 'Remote' : [job.city, job.region ?? job.country].filter(Boolean).join(', ');
      const pay = new Intl.NumberFormat('en', { style: 'currency', currency: job.pay.currency });
      details.textContent = `${where} · ${pay.format(job.pay.min)}–${pay.format(job.pay.max)} per ${job.pay.unit}`;
    })
    .catch(() => {
      details.textContent = 'Details on the job page.';
    });
  return card;
}
