/**
 * @module Where a person is, as the discovery index knows it. Rounding the distances in answers is
 * not enough: a stranger who narrows a radius or a fence step by step would find the exact point
 * the filter tests. So people's positions are indexed on a grid of 0.001° (about 111 m north–south,
 * less east–west), and every geo filter, sort and distance works on the grid point: no sequence of
 * searches can place anyone more precisely than their cell.
 */
import type { GeoPoint } from '../domain/geo-point.ts'

/** Cells per degree. */
const CELLS = 1000

/** `k / 1000` is the double nearest to the decimal, so grid points print as short decimals. */
const snap = (degrees: number) => Math.round(degrees * CELLS) / CELLS

export function personGridPoint(point: GeoPoint): GeoPoint {
  return { lat: snap(point.lat), lon: snap(point.lon) }
}
