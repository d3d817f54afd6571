/**
 * How a group call's tiles (everyone else, and yourself) share the screen: the number of
 * columns and rows that gives each tile the largest picture of the camera's shape, for the
 * stage's size as it is now (a wide desktop, a phone held upright, the chat open beside).
 * Plain arithmetic: tested without a browser.
 */

/** Cameras send 4:3 (most webcams' and phones' default for calls) or 16:9; tiles are cut to 4:3 and crop the rest. */
export const TILE_ASPECT = 4 / 3;

export type GridShape = { columns: number; rows: number };

/**
 * The columns and rows for `count` tiles in a `width` × `height` stage with `gap` between
 * tiles: of every column count, the one whose tiles fit the largest picture of `aspect`; on a
 * tie, the one with fewer empty cells, then the wider tiles.
 */
export function gridShape(count: number, width: number, height: number, gap = 0, aspect = TILE_ASPECT): GridShape {
  if (count <= 1 || width <= 0 || height <= 0) return { columns: 1, rows: 1 };
  let best: GridShape & { area: number; empty: number } = { columns: 1, rows: count, area: -1, empty: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    // A column count that leaves a whole row empty is the same as one column fewer.
    if ((rows - 1) * columns >= count) continue;
    const cellWidth = (width - gap * (columns - 1)) / columns;
    const cellHeight = (height - gap * (rows - 1)) / rows;
    if (cellWidth <= 0 || cellHeight <= 0) continue;
    const pictureWidth = Math.min(cellWidth, cellHeight * aspect);
    const area = pictureWidth * (pictureWidth / aspect);
    const empty = rows * columns - count;
    // Within 1 %: the same to the eye.
    const better = area > best.area * 1.01 || (area >= best.area * 0.99 && empty < best.empty);
    if (better) best = { columns, rows, area, empty };
  }
  return { columns: best.columns, rows: best.rows };
}
