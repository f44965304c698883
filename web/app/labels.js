// Dutch labels for the identifiers the API uses (shared by every page).
// Case types are not here: their labels, and everything else about them,
// come from the workflow files (case-types.js).

export const CATEGORIES = [
  {value: 'drugsoverlast', label: 'Drugsoverlast'},
  {value: 'georganiseerde_criminaliteit_en_ondermijning', label: 'Georganiseerde criminaliteit en ondermijning'},
  {value: 'verward_gedrag', label: 'Gevaar of overlast door verward gedrag'},
  {value: 'jeugdoverlast', label: 'Jeugdoverlast'},
  {value: 'prostitutie_en_mensenhandel', label: 'Prostitutie en mensenhandel'},
  {value: 'huiselijk_geweld', label: 'Huiselijk geweld'},
  {value: 'sociale_veiligheid_openbare_ruimte', label: 'Sociale veiligheid in de openbare ruimte'},
  {value: 'verkeersveiligheid', label: 'Verkeersveiligheid'},
  {value: 'woonoverlast', label: 'Woonoverlast'},
];

export const SOURCES = [
  {value: 'burger', label: 'Burger'},
  {value: 'professional', label: 'Professional / ketenpartner'},
  {value: 'politie', label: 'Politie (incident E33/E14)'},
  {value: 'landelijk_meldpunt', label: 'Landelijk Meldpunt Zorgwekkend Gedrag (0800-1205)'},
];

export const INCIDENT_CODES = [
  {value: '', label: 'Geen'},
  {value: 'E33', label: 'E33 – overlast door persoon met verward gedrag'},
  {value: 'E14', label: 'E14 – poging tot zelfdoding'},
];

export const REPORT_STATUSES = {
  ontvangen: 'Ontvangen', getrieerd: 'Getrieerd', gekoppeld: 'Gekoppeld aan zaak',
  doorgestuurd: 'Doorgestuurd', afgesloten: 'Afgesloten',
};

// The coarse status a citizen sees.
export const PUBLIC_STATUSES = {
  ontvangen: 'Ontvangen – uw melding is binnengekomen',
  in_behandeling: 'In behandeling – er wordt aan uw melding gewerkt',
  afgehandeld: 'Afgehandeld',
};

export const MUNICIPALITIES = ['Kerkrade', 'Heerlen', 'Landgraaf', 'Brunssum', 'Simpelveld', 'Voerendaal', 'Beekdaelen'];

export const WIJKEN_KERKRADE = ['Bleijerheide', 'Nulland', 'Rolduckerveld', 'Heilust', 'Kaalheide', 'Spekholzerheide',
  'Haanrade', 'Eygelshoven', 'Chevremont', 'Erenstein', 'Hopel', 'Centrum', 'Holz', 'Terwinselen', 'Gracht'];

export const ROLES = {
  meldpunt: 'Meldpunt', regisseur: 'Regisseur', partner: 'Ketenpartner', coordinator: 'Coördinator',
  burgemeester: 'Burgemeester', privacy_officer: 'Privacy officer', admin: 'Functioneel beheer',
};

export function labelOf(list, value) {
  const found = list.find((x) => x.value === value);
  return found ? found.label : value;
}
