#!/usr/bin/env node
// Writes the small CSV data sets the CLI examples use (README, docs/cli.md),
// generated (so the project can ship them under its own licence) from a
// fixed seed:
//   flowers.csv  classification: 4 measurements, 3 species (text labels), 600 rows
//   houses.csv   regression, as tables come: an id, 5 features (one of them text,
//                a district), some ages missing (NA), price, 1,000 rows of which a
//                few have no price
//
//   node examples/data/make-datasets.js
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// xorshift32 and Box–Muller: reproducible on every machine.
let state = 20261201;
function uniform() {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
}
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
const round = (x, digits) => Number(x.toFixed(digits));

function flowers() {
  const species = {
    'alba': [5.0, 3.4, 1.5, 0.25],
    'rubra': [5.9, 2.8, 4.3, 1.3],
    'caerulea': [6.6, 3.0, 5.5, 2.0],
  };
  const rows = ['sepal_length,sepal_width,petal_length,petal_width,species'];
  const names = Object.keys(species);
  for (let i = 0; i < 600; i++) {
    const name = names[i % 3];
    const centre = species[name];
    const cells = centre.map((c, j) => round(Math.max(0.1, c + normal() * [0.45, 0.35, 0.5, 0.25][j]), 1));
    rows.push([...cells, name].join(','));
  }
  return rows;
}

function houses() {
  const districts = { north: 12000, south: -8000, east: 0, west: 25000 };
  const rows = ['id,rooms,area_m2,age_years,distance_km,district,price'];
  for (let i = 0; i < 1000; i++) {
    const rooms = 1 + Math.floor(uniform() * 6);
    const area = round(25 + rooms * 18 + normal() * 12, 1);
    const age = Math.floor(uniform() * 80);
    const distance = round(0.5 + uniform() ** 1.5 * 30, 2);
    const district = Object.keys(districts)[Math.floor(uniform() * 4)];
    const price = Math.round(40000 + area * 2600 - age * 900 - distance * 4200 + districts[district] + 8000 * Math.sin(rooms) + normal() * 15000);
    const ageCell = uniform() < 0.03 ? 'NA' : age;
    const priceCell = uniform() < 0.005 ? '' : price;
    rows.push([100000 + 7 * i, rooms, area, ageCell, distance, district, priceCell].join(','));
  }
  return rows;
}

for (const [name, rows] of [
  ['flowers.csv', flowers()],
  ['houses.csv', houses()],
]) {
  fs.writeFileSync(path.join(__dirname, name), `${rows.join('\n')}\n`);
  console.log(`wrote examples/data/${name}: ${rows.length - 1} rows`);
}
