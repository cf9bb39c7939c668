/** Button action ids are declared once, with the cards that carry them (cards/types.ts). */
export { ACTIONS, type ActionId } from '../cards/types.ts';
