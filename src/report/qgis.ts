import { BNG_PROJ4, inCrsRange, toBng } from '../layers/crs.js';
import { FOOTPRINT_COLOURS, BOUNDARY_COLOUR, SPLIT_CLASSES, TEXT_COLOUR, naturalCompare } from './palette.js';
import { escapeXml } from './svg.js';

/**
 * footprints.qgs: a QGIS project (plain XML, the format QGIS 3 reads and writes as .qgs) opening the
 * layers of footprints.gpkg, by a path relative to the project, styled as the report's maps:
 *
 * - footprints: a categorized renderer on the `footprint` field with the report's colours (Okabe–Ito,
 *   given in natural id order as palette.footprintColours does), dark boundaries, labelled with id,
 *   name and residents; and the same table again as heavy boundaries on top, as the split maps draw
 *   them over a service layer;
 * - split_<layer>: each service layer's areas in the split maps' classes (whole, under 10%, 10–25%,
 *   25% or more of residents split off), split areas hatched so they show in greyscale, labelled
 *   with the area name;
 * - assignment and the derived service layers: outlines, off at opening.
 *
 * The project is in British National Grid (EPSG:27700) when the footprints lie in its range, the
 * usual CRS of UK local-government GIS, else WGS84; the layers stay WGS84 and QGIS reprojects.
 * Written as QGIS 3.22 (the oldest LTR still in Debian stable), which later versions open as well;
 * loaded by QGIS 3.22's own Python API in tests/gdal/board-outputs.test.ts where python3-qgis is installed.
 */

export interface QgisLayer {
  /** Table name in footprints.gpkg. */
  table: string;
  kind: 'footprints' | 'boundaries' | 'split' | 'outline';
  /** Shown in the layer list. */
  title: string;
  visible: boolean;
}

export interface QgisProjectOptions {
  title: string;
  /** The GeoPackage's file name, beside the project. */
  gpkg: string;
  layers: QgisLayer[];
  /** Footprint ids and their labels ("F1 Alexandra"), for the categories. */
  footprints: Array<{ id: string; label: string }>;
  /** [west, south, east, north] in degrees. */
  extent: [number, number, number, number];
}

const WGS84 = { proj4: '+proj=longlat +datum=WGS84 +no_defs', srsid: 3452, srid: 4326, authid: 'EPSG:4326', description: 'WGS 84', acronym: 'longlat', ellipsoid: 'EPSG:7030', geographic: true };
const BNG = { proj4: BNG_PROJ4, srsid: 2437, srid: 27700, authid: 'EPSG:27700', description: 'OSGB36 / British National Grid', acronym: 'tmerc', ellipsoid: 'EPSG:7001', geographic: false };
type Srs = typeof WGS84;

function spatialRefSys(srs: Srs): string {
  return `<spatialrefsys nativeFormat="Wkt"><proj4>${escapeXml(srs.proj4)}</proj4><srsid>${srs.srsid}</srsid><srid>${srs.srid}</srid><authid>${srs.authid}</authid><description>${escapeXml(srs.description)}</description><projectionacronym>${srs.acronym}</projectionacronym><ellipsoidacronym>${srs.ellipsoid}</ellipsoidacronym><geographicflag>${srs.geographic}</geographicflag></spatialrefsys>`;
}

/** "#E69F00" → "230,159,0,255", QGIS's colour notation. */
function rgba(hex: string, alpha = 255): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha}`;
}

/** Symbol-layer properties, written both ways QGIS 3 reads them (<Option> map, and <prop> before 3.26). */
function properties(props: Record<string, string>): string {
  const entries = Object.entries(props);
  return `<Option type="Map">${entries.map(([k, v]) => `<Option name="${k}" value="${escapeXml(v)}" type="QString"/>`).join('')}</Option>${entries.map(([k, v]) => `<prop k="${k}" v="${escapeXml(v)}"/>`).join('')}`;
}

function simpleFill(fill: string | null, outline: string, width: number, alpha = 255): string {
  return `<layer class="SimpleFill" enabled="1" locked="0" pass="0">${properties({
    color: fill === null ? '0,0,0,0' : rgba(fill, alpha),
    style: fill === null ? 'no' : 'solid',
    outline_color: rgba(outline),
    outline_style: 'solid',
    outline_width: String(width),
    outline_width_unit: 'MM',
    joinstyle: 'round',
  })}</layer>`;
}

/** Diagonal hatch over a fill, as the split maps draw split areas. */
function hatch(name: string): string {
  return `<layer class="LinePatternFill" enabled="1" locked="0" pass="0">${properties({ lineangle: '45', distance: '1.6', distance_unit: 'MM', color: rgba(BOUNDARY_COLOUR), outline_width_unit: 'MM' })}<symbol type="line" name="@${name}@1" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleLine" enabled="1" locked="0" pass="0">${properties({ line_color: rgba(BOUNDARY_COLOUR), line_width: '0.2', line_width_unit: 'MM', line_style: 'solid' })}</layer></symbol></layer>`;
}

function fillSymbol(name: string, layers: string, opacity = 1): string {
  return `<symbol type="fill" name="${name}" alpha="${opacity}" clip_to_extent="1" force_rhr="0">${layers}</symbol>`;
}

function labeling(expression: string, size: number, bold: boolean): string {
  return `<labeling type="simple"><settings calloutType="simple"><text-style fieldName="${escapeXml(expression)}" isExpression="1" fontFamily="DejaVu Sans" fontSize="${size}" fontSizeUnit="Point" fontWeight="${bold ? 75 : 50}" textColor="${rgba(TEXT_COLOUR)}" textOpacity="1" multilineHeight="1"><text-buffer bufferDraw="1" bufferSize="0.8" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.85"/></text-style><text-format wrapChar="" multilineAlign="1"/><placement placement="1" fitInPolygonOnly="0" centroidInside="1" priority="5"/><rendering obstacle="1" scaleVisibility="0" drawLabels="1" displayAll="0" upsidedownLabels="0"/></settings></labeling>`;
}

function footprintRenderer(footprints: QgisProjectOptions['footprints']): string {
  const sorted = [...footprints].sort((a, b) => naturalCompare(a.id, b.id));
  const categories = sorted.map((f, i) => `<category render="true" symbol="${i}" value="${escapeXml(f.id)}" label="${escapeXml(f.label)}"/>`).join('');
  const symbols = sorted.map((_, i) => fillSymbol(String(i), simpleFill(FOOTPRINT_COLOURS[i % FOOTPRINT_COLOURS.length], BOUNDARY_COLOUR, 0.6), 0.75)).join('');
  return `<renderer-v2 type="categorizedSymbol" attr="footprint" forceraster="0" symbollevels="0" enableorderby="0"><categories>${categories}</categories><symbols>${symbols}</symbols><source-symbol>${fillSymbol('0', simpleFill('#cccccc', BOUNDARY_COLOUR, 0.6))}</source-symbol></renderer-v2>`;
}

function splitRenderer(): string {
  const rules: string[] = [];
  const symbols: string[] = [];
  SPLIT_CLASSES.forEach((c, i) => {
    const next = SPLIT_CLASSES[i + 1];
    const filter = i === 0 ? '"split_share" = 0 OR "split_share" IS NULL' : `"split_share" >= ${c.from === Number.MIN_VALUE ? '0.0000001' : c.from}${next ? ` AND "split_share" < ${next.from}` : ''}`;
    rules.push(`<rule key="split-${i}" symbol="${i}" label="${escapeXml(c.label)}" filter="${escapeXml(filter)}"/>`);
    symbols.push(fillSymbol(String(i), simpleFill(c.colour, '#555555', 0.3) + (i > 0 ? hatch(String(i)) : '')));
  });
  return `<renderer-v2 type="RuleRenderer" forceraster="0" symbollevels="0" enableorderby="0"><rules key="split-root">${rules.join('')}</rules><symbols>${symbols.join('')}</symbols></renderer-v2>`;
}

function outlineRenderer(colour: string, width: number): string {
  return `<renderer-v2 type="singleSymbol" forceraster="0" symbollevels="0" enableorderby="0"><symbols>${fillSymbol('0', simpleFill(null, colour, width))}</symbols></renderer-v2>`;
}

function layerId(layer: QgisLayer): string {
  return `${layer.table.replace(/[^A-Za-z0-9_]/g, '_')}_${layer.kind}`;
}

function mapLayer(layer: QgisLayer, gpkg: string, footprints: QgisProjectOptions['footprints']): string {
  const source = `./${gpkg}|layername=${layer.table}`;
  const renderer =
    layer.kind === 'footprints'
      ? footprintRenderer(footprints)
      : layer.kind === 'split'
        ? splitRenderer()
        : layer.kind === 'boundaries'
          ? outlineRenderer(BOUNDARY_COLOUR, 0.8)
          : outlineRenderer('#6a3d9a', 0.4);
  const labels =
    layer.kind === 'footprints'
      ? labeling(`"footprint" || coalesce(' ' || "name", '') || '\\n' || format_number("population", 0)`, 10, true)
      : layer.kind === 'split'
        ? labeling(`coalesce("name", "id") || if("split_share" > 0, '\\n' || format_number("split_share" * 100, 1) || '%', '')`, 8, false)
        : '';
  return `<maplayer type="vector" geometry="Polygon" wkbType="MultiPolygon" hasScaleBasedVisibilityFlag="0" labelsEnabled="${labels ? 1 : 0}" readOnly="0"><id>${layerId(layer)}</id><datasource>${escapeXml(source)}</datasource><layername>${escapeXml(layer.title)}</layername><srs>${spatialRefSys(WGS84)}</srs><provider encoding="UTF-8">ogr</provider>${renderer}${labels}<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode><layerOpacity>1</layerOpacity></maplayer>`;
}

/** The QGIS project's XML. */
export function qgisProject(options: QgisProjectOptions): string {
  const [west, south, east, north] = options.extent;
  const inBng = inCrsRange('EPSG:4326', west, south) && [toBng([west, south]), toBng([east, north])].every(([x, y]) => inCrsRange('EPSG:27700', x, y));
  const crs = inBng ? BNG : WGS84;
  const corners = inBng ? [toBng([west, south]), toBng([east, south]), toBng([west, north]), toBng([east, north])] : [[west, south], [east, north]];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const pad = (Math.max(...xs) - Math.min(...xs)) * 0.05;
  const extent = `<extent><xmin>${Math.min(...xs) - pad}</xmin><ymin>${Math.min(...ys) - pad}</ymin><xmax>${Math.max(...xs) + pad}</xmax><ymax>${Math.max(...ys) + pad}</ymax></extent>`;
  const tree = options.layers
    .map((l) => `<layer-tree-layer id="${layerId(l)}" name="${escapeXml(l.title)}" source="${escapeXml(`./${options.gpkg}|layername=${l.table}`)}" providerKey="ogr" checked="${l.visible ? 'Qt::Checked' : 'Qt::Unchecked'}" expanded="0"><customproperties/></layer-tree-layer>`)
    .join('\n    ');
  return `<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis projectname="${escapeXml(options.title)}" version="3.22.0-Białowieża">
  <homePath path=""/>
  <title>${escapeXml(options.title)}</title>
  <projectCrs>${spatialRefSys(crs)}</projectCrs>
  <layer-tree-group>
    <customproperties/>
    ${tree}
  </layer-tree-group>
  <mapcanvas annotationsVisible="1" name="theMapCanvas"><units>${inBng ? 'meters' : 'degrees'}</units>${extent}<rotation>0</rotation><destinationsrs>${spatialRefSys(crs)}</destinationsrs></mapcanvas>
  <projectlayers>
    ${options.layers.map((l) => mapLayer(l, options.gpkg, options.footprints)).join('\n    ')}
  </projectlayers>
  <properties><Paths><Absolute type="bool">false</Absolute></Paths><SpatialRefSys><ProjectionsEnabled type="int">1</ProjectionsEnabled></SpatialRefSys></properties>
</qgis>
`;
}
